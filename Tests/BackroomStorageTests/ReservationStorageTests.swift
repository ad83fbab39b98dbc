import BackroomCore
import BackroomStorage
import BackroomTestSupport
import Testing

struct ReservationStorageTests {
    static let now: Int64 = 1_700_000_000_000
    static let shop = 10010

    static func seed(_ storage: any BackroomStorage, _ stock: [String: Int64] = ["A": 10, "B": 3]) async throws {
        try await storage.addMissingShops([Shop(id: shop, name: "Vallblanca")])
        try await storage.setStock(
            shop: shop,
            stock.map { StockSetting(product: $0.key, onHand: $0.value, blocked: 0) },
            origin: .central,
            at: now
        )
    }

    static func create(_ lines: [(String, Int64)], lifetime: Int64 = 600, type: ReservationType = .complete) -> ReservationCommand {
        .create(
            shop: shop,
            request: ReservationRequest(lifetime: lifetime, type: type, lines: lines.map { ReservationLine(product: $0.0, qty: $0.1) }),
            idempotency: nil
        )
    }

    static func createdID(_ result: ReservationResult?) throws -> Int64 {
        guard case .created(let snapshot) = result else { throw Unexpected(result: result) }
        return snapshot.id
    }

    /// On hand, blocked and reserved: what these tests compare (the modification time is the database's).
    static func figures(_ stock: [String: ProductStock]) -> [String: [Int64]] {
        stock.mapValues { [$0.onHand, $0.blocked, $0.reserved] }
    }

    struct Unexpected: Error {
        let result: ReservationResult?
    }

    @Test(arguments: TestDatabase.allCases)
    func aReservationHoldsStockUntilItExpiresWithoutASweeper(_ database: TestDatabase) async throws {
        try await database.withStorage { storage, _ async throws in
            try await Self.seed(storage)
            let results = try await storage.applyReservations([Self.create([("A", 4), ("B", 3)], lifetime: 1)], at: Self.now, origin: .central)
            let id = try Self.createdID(results.first)
            let stored = try #require(try await storage.reservation(id: id))
            #expect(stored.lines == [ReservationLine(product: "A", qty: 4), ReservationLine(product: "B", qty: 3)])
            #expect(stored.validUntil == Self.now + 1000)
            #expect(
                Self.figures(try await storage.productStock(shop: Self.shop, products: ["A", "B", "Nope"], at: Self.now + 999)) == [
                    "A": [10, 0, 4], "B": [3, 0, 3],
                ]
            )
            #expect(try await storage.productStock(shop: Self.shop, products: ["A"], at: Self.now + 1000)["A"]?.reserved == 0)
        }
    }

    /// Expired buckets count for nothing; kept, a product reserved all day would gather one a
    /// second. (SQLite keeps its buckets in the writer's memory, which drops them the same way.)
    @Test func aBatchDeletesTheExpiredBucketsOfTheProductsItChanges() async throws {
        try await TestDatabase.postgresql.withStorage { storage, fresh async throws in
            try await Self.seed(storage)
            for second in 0..<5 {
                _ = try await storage.applyReservations(
                    [Self.create([("A", 1), ("B", 1)], lifetime: 1)],
                    at: Self.now + Int64(second) * 1000,
                    origin: .central
                )
            }
            #expect(try await fresh.number("SELECT COUNT(*) FROM reserved_buckets") == 2, "only the last batch's, of A and B")
            let stock = try await storage.productStock(shop: Self.shop, products: ["A", "B"], at: Self.now + 4000)
            #expect(Self.figures(stock) == ["A": [10, 0, 1], "B": [3, 0, 1]], "what has not expired still holds")
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func changeCommitAndCancelAreStored(_ database: TestDatabase) async throws {
        try await database.withStorage { storage, _ async throws in
            try await Self.seed(storage)
            let first = try Self.createdID(try await storage.applyReservations([Self.create([("A", 4)])], at: Self.now, origin: .central).first)
            let second = try Self.createdID(try await storage.applyReservations([Self.create([("B", 2)])], at: Self.now, origin: .central).first)
            let change = ReservationChange(
                lifetime: nil,
                type: nil,
                lines: [ReservationLine(product: "A", qty: 6), ReservationLine(product: "B", qty: 1)]
            )
            let results = try await storage.applyReservations(
                [.change(id: first, change), .commit(id: second), .cancel(id: first), .commit(id: 999)],
                at: Self.now + 10,
                origin: .central
            )
            #expect(results.count == 4)
            #expect(results[3] == .failed(.noSuchReservation(999)))
            #expect(results[2] == .cancelled)
            #expect(try await storage.reservation(id: first)?.state == .cancelled)
            #expect(try await storage.reservation(id: first)?.lines == change.lines)
            #expect(try await storage.reservation(id: second)?.state == .committed)
            let stock = try await storage.productStock(shop: Self.shop, products: ["A", "B"], at: Self.now + 20)
            #expect(Self.figures(stock) == ["A": [10, 0, 0], "B": [1, 0, 0]])
            #expect(try await storage.movementTotal(shop: Self.shop, product: "B") == 1)
            // A repeated commit changes nothing.
            _ = try await storage.applyReservations([.commit(id: second)], at: Self.now + 30, origin: .central)
            #expect(try await storage.stockLevel(shop: Self.shop, product: "B")?.onHand == 1)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func idempotentCreatesAreAnsweredFromTheFirst(_ database: TestDatabase) async throws {
        try await database.withStorage { storage, _ async throws in
            try await Self.seed(storage)
            let claim = IdempotencyClaim(userID: 1, key: "order-77")
            let request = ReservationRequest(lifetime: 60, type: .complete, lines: [ReservationLine(product: "A", qty: 2)])
            let first = try await storage.applyReservations(
                [.create(shop: Self.shop, request: request, idempotency: claim)],
                at: Self.now,
                origin: .central
            )
            let again = try await storage.applyReservations(
                [
                    .create(shop: Self.shop, request: request, idempotency: claim),
                    .create(
                        shop: Self.shop,
                        request: ReservationRequest(lifetime: 60, type: .complete, lines: [ReservationLine(product: "A", qty: 3)]),
                        idempotency: claim
                    ),
                ],
                at: Self.now + 5,
                origin: .central
            )
            guard case .created(let snapshot) = first.first else {
                Issue.record("not created: \(first)")
                return
            }
            #expect(again == [.replayed(snapshot), .failed(.idempotencyKeyReused)])
            #expect(try await storage.productStock(shop: Self.shop, products: ["A"], at: Self.now + 5)["A"]?.reserved == 2)
            // After 24 hours the key is free again.
            let later = try await storage.applyReservations(
                [.create(shop: Self.shop, request: request, idempotency: claim)],
                at: Self.now + 86_400_001,
                origin: .central
            )
            #expect(try Self.createdID(later.first) != snapshot.id)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func concurrentWritersNeverOversell(_ database: TestDatabase) async throws {
        try await database.withFresh { fresh async throws in
            try await fresh.withStorage { storage, _ async throws in
                try await Self.seed(storage, ["Hot": 25, "Cold": 1000])
                // SQLite's write lock is not fair: a second process polls for it while the first
                // takes it again and again, and on a loaded machine it waited past the default
                // 5 s once. What this test is about is oversell, so it allows a long wait.
                try await storage.setPreference(.reservationLockTimeout, value: 60_000)
            }
            // Two storages on one database stand for two server processes.
            let granted = try await withThrowingTaskGroup(of: Int64.self) { group in
                for _ in 0..<2 {
                    group.addTask {
                        try await fresh.withStorage { storage, _ async throws in
                            try await withThrowingTaskGroup(of: Int64.self) { inner in
                                for index in 0..<60 {
                                    inner.addTask {
                                        let lines = index % 2 == 0 ? [("Hot", Int64(1)), ("Cold", 1)] : [("Cold", 1), ("Hot", 1)]
                                        let result = try await storage.applyReservations([Self.create(lines)], at: Self.now, origin: .central)
                                        if case .created = result.first { return 1 }
                                        return 0
                                    }
                                }
                                return try await inner.reduce(0, +)
                            }
                        }
                    }
                }
                return try await group.reduce(0, +)
            }
            #expect(granted == 25)
            try await fresh.withStorage { storage, _ async throws in
                let stock = try await storage.productStock(shop: Self.shop, products: ["Hot", "Cold"], at: Self.now)
                #expect(stock["Hot"]?.reserved == 25)
                #expect(stock["Cold"]?.reserved == 25)
            }
        }
    }

    /// What one process reserves or releases, another on the same database counts at once:
    /// SQLite's writer keeps the sums in memory and must notice the other's commits.
    @Test(arguments: TestDatabase.allCases)
    func aSecondProcessCountsWhatTheFirstReservedAndReleased(_ database: TestDatabase) async throws {
        try await database.withStorage { first, fresh async throws in
            try await Self.seed(first)
            let held = try Self.createdID(try await first.applyReservations([Self.create([("A", 8)])], at: Self.now, origin: .central).first)
            try await fresh.withStorage { second, _ async throws in
                #expect(try await second.productStock(shop: Self.shop, products: ["A"], at: Self.now)["A"]?.reserved == 8)
                let refused = try await second.applyReservations([Self.create([("A", 3)])], at: Self.now, origin: .central)
                guard case .failed(.notEnoughStock) = refused.first else { throw Unexpected(result: refused.first) }
                _ = try Self.createdID(try await second.applyReservations([Self.create([("A", 2)])], at: Self.now, origin: .central).first)

                let overFirst = try await first.applyReservations([Self.create([("A", 1)])], at: Self.now, origin: .central)
                guard case .failed(.notEnoughStock) = overFirst.first else { throw Unexpected(result: overFirst.first) }
                _ = try await first.applyReservations([.cancel(id: held)], at: Self.now, origin: .central)
                #expect(try await second.productStock(shop: Self.shop, products: ["A"], at: Self.now)["A"]?.reserved == 2)
                _ = try Self.createdID(try await second.applyReservations([Self.create([("A", 8)])], at: Self.now, origin: .central).first)
            }
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aHeldLockTimesOutAfterThePreference(_ database: TestDatabase) async throws {
        try await database.withStorage { storage, fresh async throws in
            try await Self.seed(storage)
            try await storage.setPreference(.reservationLockTimeout, value: 300)
            try await fresh.holdingWriteLock(on: ProductKey(shop: Self.shop, product: "A")) {
                await #expect(throws: StorageError.lockTimeout) {
                    try await storage.applyReservations([Self.create([("A", 1)])], at: Self.now, origin: .central)
                }
            }
            let afterwards = try await storage.applyReservations([Self.create([("A", 1)])], at: Self.now, origin: .central)
            _ = try Self.createdID(afterwards.first)
        }
    }
}
