import BackroomCore
import BackroomStorage
import BackroomTestSupport
import Testing

struct MovementStorageTests {
    static let shop = 10010
    static let now: Int64 = 1_700_000_000_000
    static let store = try! ServerKey("VALLBLANCA")

    static func seed(_ storage: any BackroomStorage) async throws {
        try await storage.addMissingShops([Shop(id: shop, name: "Vallblanca")])
        try await storage.setStock(
            shop: shop,
            [StockSetting(product: "A", onHand: 10, blocked: 0), StockSetting(product: "B", onHand: 3, blocked: 0)],
            origin: .central,
            at: now
        )
    }

    static let sale = MovementRequest(product: "A", reason: .sale, change: .quantity(-2), reference: "till-3/991")
    static let count = MovementRequest(product: "B", reason: .count, change: .counted(7), reference: nil)

    @Test(arguments: TestDatabase.allCases)
    func movementsAreNumberedUnderTheirOriginAndChangeOnHand(_ database: TestDatabase) async throws {
        try await database.withStorage { storage, _ async throws in
            try await Self.seed(storage)
            let outcome = try await storage.recordMovements(
                shop: Self.shop,
                [Self.sale, Self.count],
                idempotency: nil,
                origin: Self.store,
                at: Self.now
            )
            #expect(
                outcome
                    == .recorded([
                        RecordedMovement(origin: "VALLBLANCA", sequence: 1, product: "A", qty: -2, reason: "sale"),
                        RecordedMovement(origin: "VALLBLANCA", sequence: 2, product: "B", qty: 4, reason: "count"),
                    ])
            )
            #expect(try await storage.stockLevel(shop: Self.shop, product: "A")?.onHand == 8)
            #expect(try await storage.stockLevel(shop: Self.shop, product: "B")?.onHand == 7)
            #expect(try await storage.movementTotal(shop: Self.shop, product: "B") == 7)
            let next = try await storage.recordMovements(shop: Self.shop, [Self.sale], idempotency: nil, origin: Self.store, at: Self.now)
            #expect(next == .recorded([RecordedMovement(origin: "VALLBLANCA", sequence: 3, product: "A", qty: -2, reason: "sale")]))
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func anUnknownProductRecordsNothing(_ database: TestDatabase) async throws {
        try await database.withStorage { storage, _ async throws in
            try await Self.seed(storage)
            let unknown = MovementRequest(product: "Nope", reason: .receipt, change: .quantity(1), reference: nil)
            let outcome = try await storage.recordMovements(
                shop: Self.shop,
                [Self.sale, unknown],
                idempotency: nil,
                origin: Self.store,
                at: Self.now
            )
            #expect(outcome == .unknownProducts(["Nope"]))
            #expect(try await storage.stockLevel(shop: Self.shop, product: "A")?.onHand == 10)
            await #expect(throws: StorageError.unknownShop(999)) {
                try await storage.recordMovements(shop: 999, [Self.sale], idempotency: nil, origin: Self.store, at: Self.now)
            }
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aRepeatedKeyIsAnsweredOnceAndAReusedOneChangesNothing(_ database: TestDatabase) async throws {
        try await database.withStorage { storage, _ async throws in
            try await Self.seed(storage)
            let claim = IdempotencyClaim(userID: 1, key: "till-3/991")
            let request = IdempotentRequest(claim: claim, request: MovementRequest.canonicalForm([Self.sale]))
            let first = try await storage.recordMovements(shop: Self.shop, [Self.sale], idempotency: request, origin: Self.store, at: Self.now)
            let again = try await storage.recordMovements(shop: Self.shop, [Self.sale], idempotency: request, origin: Self.store, at: Self.now + 5)
            #expect(again == first)
            let other = IdempotentRequest(claim: claim, request: MovementRequest.canonicalForm([Self.count]))
            let reused = try await storage.recordMovements(shop: Self.shop, [Self.count], idempotency: other, origin: Self.store, at: Self.now + 9)
            #expect(reused == .idempotencyKeyReused)
            #expect(try await storage.stockLevel(shop: Self.shop, product: "A")?.onHand == 8)
            #expect(try await storage.stockLevel(shop: Self.shop, product: "B")?.onHand == 3)
        }
    }
}
