import BackroomCore
import Testing

struct ReservedQuantitiesTests {
    static let a = ProductKey(shop: 10010, product: "A")
    static let b = ProductKey(shop: 10010, product: "B")

    @Test func aQuantityCountsUntilTheInstantItsSecondPasses() {
        var quantities = ReservedQuantities()
        quantities.add(3, of: Self.a, expiringAt: 10_000)
        #expect(quantities.reserved(Self.a, at: 9_999) == 3)
        #expect(quantities.reserved(Self.a, at: 10_000) == 0)
        #expect(quantities.reserved(Self.a, at: 9_999) == 0, "an expired second is gone for good")
    }

    @Test func productsAreKeptApart() {
        var quantities = ReservedQuantities()
        quantities.add(3, of: Self.a, expiringAt: 10_000)
        quantities.add(4, of: Self.b, expiringAt: 10_000)
        #expect(quantities.reserved(Self.a, at: 0) == 3)
        #expect(quantities.reserved(Self.b, at: 0) == 4)
        #expect(quantities.reserved(ProductKey(shop: 10011, product: "A"), at: 0) == 0)
    }

    @Test func secondsArrivingOutOfOrderExpireInOrder() {
        var quantities = ReservedQuantities()
        for (qty, second) in [(1, 5), (10, 3), (100, 9), (1000, 1), (10_000, 3)] as [(Int64, Int64)] {
            quantities.add(qty, of: Self.a, expiringAt: second * 1000)
        }
        #expect(quantities.reserved(Self.a, at: 0) == 11_111)
        #expect(quantities.reserved(Self.a, at: 1000) == 10_111)
        #expect(quantities.reserved(Self.a, at: 3000) == 101)
        #expect(quantities.reserved(Self.a, at: 5000) == 100)
        #expect(quantities.reserved(Self.a, at: 9000) == 0)
    }

    @Test func releasingTakesBackFromItsOwnSecond() {
        var quantities = ReservedQuantities()
        quantities.add(5, of: Self.a, expiringAt: 2000)
        quantities.add(7, of: Self.a, expiringAt: 4000)
        quantities.apply([ReservationPlanner.BucketKey(product: Self.a, expiresAt: 4000): -7])
        #expect(quantities.reserved(Self.a, at: 0) == 5)
        #expect(quantities.reserved(Self.a, at: 2000) == 0)
    }

    /// Thousands of seconds expire one by one while new ones arrive, as under steady load; the
    /// total must match a plain recount at every step, across the compactions of the array.
    @Test func aLongRunMatchesARecountAtEveryStep() {
        var quantities = ReservedQuantities()
        var reference: [(expiresAt: Int64, qty: Int64)] = []
        var generator = SystemRandomNumberGenerator()
        for now in stride(from: Int64(0), to: 3_000_000, by: 1000) {
            let expiresAt = now + Int64.random(in: 1...60, using: &generator) * 1000
            let qty = Int64.random(in: -2...5, using: &generator)
            quantities.add(qty, of: Self.a, expiringAt: expiresAt)
            reference.append((expiresAt, qty))
            let expected = reference.filter { $0.expiresAt > now }.reduce(0) { $0 + $1.qty }
            #expect(quantities.reserved(Self.a, at: now) == expected)
        }
    }

    @Test func everythingHeldIsListedWithoutWhatExpired() {
        var quantities = ReservedQuantities()
        quantities.add(3, of: Self.a, expiringAt: 10_000)
        quantities.add(4, of: Self.b, expiringAt: 5_000)
        quantities.add(2, of: Self.b, expiringAt: 20_000)
        quantities.add(-2, of: Self.b, expiringAt: 20_000)
        #expect(quantities.allReserved(at: 0) == [Self.a: 3, Self.b: 4])
        #expect(quantities.allReserved(at: 5_000) == [Self.a: 3])
    }
}
