import BackroomCore
import BackroomStorage
import BackroomTestSupport
import Testing

struct SyncStorageTests {
    static let store = try! ServerKey("VALLBLANCA")
    static let other = try! ServerKey("NORTE")
    static let south = try! ServerKey("SUR")

    static func movement(_ origin: ServerKey, _ sequence: Int64, shop: Int = 10010, _ product: String = "A", qty: Int64 = -1) -> ReplicatedMovement {
        ReplicatedMovement(
            origin: origin,
            sequence: sequence,
            shop: shop,
            product: product,
            qty: qty,
            reason: qty < 0 ? .sale : .receipt,
            reference: "till-\(sequence)",
            createdAt: 1_700_000_000_000 + sequence
        )
    }

    static func held(_ storage: any BackroomStorage, _ shops: [Int], at now: Int64) async throws -> HeldQuantities {
        try await storage.pullRead(forShops: shops, except: other, after: SyncCursor(), limit: 1, at: now).held
    }

    @Test(arguments: TestDatabase.allCases)
    func aBatchAppliedTwiceCountsOnceAndKeepsItsState(_ database: TestDatabase) async throws {
        try await database.withStorage { storage, _ async throws in
            try await storage.addMissingShops([Shop(id: 10010, name: "Vallblanca")])
            let batch = [Self.movement(Self.store, 1), Self.movement(Self.store, 2, "New-Product", qty: 5), Self.movement(Self.store, 3)]
            #expect(try await storage.applyReplicated(batch, recording: (.linkCursor, "VALLBLANCA:3"), figures: nil) == 3)
            #expect(try await storage.applyReplicated(batch + [Self.movement(Self.store, 4)], recording: nil, figures: nil) == 1)
            #expect(try await storage.stockLevel(shop: 10010, product: "A")?.onHand == -3)
            #expect(try await storage.stockLevel(shop: 10010, product: "New-Product")?.onHand == 5)
            #expect(try await storage.movementTotal(shop: 10010, product: "A") == -3)
            #expect(try await storage.highestSequence(of: Self.store) == 4)
            #expect(try await storage.highestSequence(of: Self.other) == 0)
            #expect(try await storage.syncState(.linkCursor) == "VALLBLANCA:3")
            try await storage.setSyncState(.linkCursor, "VALLBLANCA:4")
            #expect(try await storage.syncState(.linkCursor) == "VALLBLANCA:4")
            #expect(
                try await storage.ownMovements(origin: Self.store, after: 2, limit: 10) == [
                    Self.movement(Self.store, 3), Self.movement(Self.store, 4),
                ]
            )
            #expect(try await storage.applyReplicated([Self.movement(.central, 1, shop: 10099, qty: 4)], recording: nil, figures: nil) == 1)
            #expect(try await storage.stockLevel(shop: 10099, product: "A")?.onHand == 4, "a shop added on central after first contact")
        }
    }

    /// Issue 25: a store restored from an older copy takes back central's movements of its origin
    /// and moves its own recorded since past them, on hand following, in one transaction.
    @Test(arguments: TestDatabase.allCases)
    func aRecoveryTakesBackCentralsMovementsAndMovesTheStoresOwnPastThem(_ database: TestDatabase) async throws {
        try await database.withStorage { storage, _ async throws in
            try await MovementStorageTests.seed(storage)
            for _ in 1...5 {
                _ = try await storage.recordMovements(shop: 10010, [MovementStorageTests.sale], idempotency: nil, origin: Self.store, at: 1)
            }
            let local = try await storage.ownMovements(origin: Self.store, after: 0, limit: 10)
            let central = [local[2]] + (4...7).map { Self.movement(Self.store, $0, qty: -3) }
            let plan = OriginRecovery.plan(pushed: 2, centralHolds: 7, central: central, local: Array(local[2...]))
            try await storage.recoverOwnMovements(of: Self.store, following: plan)

            let after = try await storage.ownMovements(origin: Self.store, after: 0, limit: 20)
            #expect(after.map(\.sequence) == Array(1...9))
            #expect(Array(after[0..<3]) == Array(local[0..<3]))
            #expect(Array(after[3..<7]) == (4...7).map { Self.movement(Self.store, $0, qty: -3) })
            #expect(after[7..<9].map(\.createdAt) == local[3..<5].map(\.createdAt), "the store's own, moved past central's")
            #expect(try await storage.stockLevel(shop: 10010, product: "A")?.onHand == 10 - 5 * 2 - 4 * 3)
            #expect(try await storage.movementTotal(shop: 10010, product: "A") == 10 - 5 * 2 - 4 * 3)
            #expect(try await storage.syncState(.linkPushed) == "7")
            let next = try await storage.recordMovements(shop: 10010, [MovementStorageTests.sale], idempotency: nil, origin: Self.store, at: 2)
            #expect(try await storage.ownMovements(origin: Self.store, after: 9, limit: 1).map(\.sequence) == [10], "numbered after them: \(next)")
        }
    }

    /// A push repeated while the first is still being applied (a time-out, a second central):
    /// each movement counts once, and on hand moves by each once.
    @Test(arguments: TestDatabase.allCases)
    func overlappingBatchesAppliedAtOnceCountEachMovementOnce(_ database: TestDatabase) async throws {
        try await database.withStorage { storage, _ async throws in
            let batches: [[ReplicatedMovement]] = (0..<8).map { start in
                let first = Int64(start * 5 + 1)
                return (first...first + 19).map { sequence in Self.movement(Self.store, sequence, "P\(sequence % 3)") }
            }
            let applied = try await withThrowingTaskGroup(of: Int.self) { group in
                for batch in batches { group.addTask { try await storage.applyReplicated(batch, recording: nil, figures: nil) } }
                return try await group.reduce(0, +)
            }
            #expect(applied == 55, "sequences 1 to 55, each once")
            #expect(try await storage.highestSequence(of: Self.store) == 55)
            var onHand: Int64 = 0
            for product in ["P0", "P1", "P2"] { onHand += try await storage.stockLevel(shop: 10010, product: product)?.onHand ?? 0 }
            #expect(onHand == -55)
            #expect(try await storage.movementTotal(shop: 10010, product: "P1") == -19, "sequences 1, 4, … 55")
        }
    }

    /// A store's exchange sets its cursor and backlog on central every second; unchanged, they
    /// must not cost a write. A trigger refuses any update of the table to show none is made.
    @Test(arguments: TestDatabase.allCases)
    func anUnchangedStateIsNotWrittenAgain(_ database: TestDatabase) async throws {
        try await database.withStorage { storage, fresh async throws in
            try await storage.setSyncState(.peerPulled(try ServerKey("VALLBLANCA")), "CENTRAL:7")
            let refusingUpdates =
                database == .sqlite
                ? ["CREATE TRIGGER no_rewrite BEFORE UPDATE ON sync_state BEGIN SELECT RAISE(ABORT, 'rewritten'); END;"]
                : [
                    "CREATE FUNCTION refuse_rewrite() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'rewritten'; END $$ LANGUAGE plpgsql",
                    "CREATE TRIGGER no_rewrite BEFORE UPDATE ON sync_state FOR EACH ROW EXECUTE FUNCTION refuse_rewrite()",
                ]
            for statement in refusingUpdates { try await fresh.executeRaw(statement) }
            try await storage.setSyncState(.peerPulled(try ServerKey("VALLBLANCA")), "CENTRAL:7")
            await #expect(throws: (any Error).self, "a changed value is written") {
                try await storage.setSyncState(.peerPulled(try ServerKey("VALLBLANCA")), "CENTRAL:8")
            }
            #expect(try await storage.syncState(.peerPulled(try ServerKey("VALLBLANCA"))) == "CENTRAL:7")
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aStorePullsTheOtherOriginsMovementsOfItsShopsPastItsCursor(_ database: TestDatabase) async throws {
        try await database.withStorage { storage, _ async throws in
            try await storage.addMissingShops([Shop(id: 10010, name: "Vallblanca"), Shop(id: 10030, name: "Norte")])
            try await storage.registerServer(
                ServerRegistration(key: Self.store, name: "Vallblanca", type: .store, url: nil, shops: [10010]),
                tokenFingerprint: nil
            )
            try await storage.applyReplicated(
                [
                    Self.movement(Self.store, 1), Self.movement(Self.other, 1), Self.movement(Self.other, 2, shop: 10030),
                    Self.movement(Self.other, 3), Self.movement(.central, 1, qty: 9), Self.movement(Self.south, 1, shop: 10030),
                ],
                recording: nil,
                figures: nil
            )
            let all = try await storage.movements(forShops: [10010], except: Self.store, after: SyncCursor(), limit: 10)
            #expect(all.movements == [Self.movement(.central, 1, qty: 9), Self.movement(Self.other, 1), Self.movement(Self.other, 3)])
            #expect(all.cursor.encoded == "CENTRAL:1,NORTE:3,SUR:1" && !all.more, "SUR holds only another shop's movement: stepped over")
            let first = try await storage.movements(forShops: [10010], except: Self.store, after: SyncCursor(), limit: 2)
            #expect(first.movements == [Self.movement(.central, 1, qty: 9), Self.movement(Self.other, 1)])
            #expect(first.cursor.encoded == "CENTRAL:1,NORTE:1" && first.more, "a full page goes no further than its last movement")
            let rest = try await storage.movements(forShops: [10010], except: Self.store, after: first.cursor, limit: 10)
            #expect(rest.movements == [Self.movement(Self.other, 3)], "NORTE:2 is of another shop")
            #expect(rest.cursor.encoded == "CENTRAL:1,NORTE:3,SUR:1", "but stepped over, not looked at again")
            let nothing = try await storage.movements(forShops: [10010], except: Self.store, after: rest.cursor, limit: 10)
            #expect(nothing.movements.isEmpty && nothing.cursor == rest.cursor && !nothing.more)
            for (after, limit) in [(SyncCursor(), 10), (SyncCursor(), 2), (first.cursor, 10), (rest.cursor, 10)] {
                let read = try await storage.pullRead(forShops: [10010], except: Self.store, after: after, limit: limit, at: 1)
                #expect(
                    read.page == (try await storage.movements(forShops: [10010], except: Self.store, after: after, limit: limit)),
                    "a pull's page, with its figures"
                )
            }
            #expect(
                try await storage.backlog(forShops: [10010], except: Self.store, after: first.cursor)
                    == MovementBacklog(count: 1, oldestRecordedAt: 1_700_000_000_003)
            )
            #expect(
                try await storage.backlog(forShops: [10010, 10030], except: Self.store, after: SyncCursor())
                    == MovementBacklog(count: 5, oldestRecordedAt: 1_700_000_000_001)
            )
            #expect(
                try await storage.backlog(forShops: [10010], except: Self.store, after: all.cursor)
                    == MovementBacklog(count: 0, oldestRecordedAt: nil)
            )
            #expect(try await storage.stockLines(shops: [10030]).map(\.product) == ["A"])
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func reservedFiguresTravelFromCentralToAStore(_ database: TestDatabase) async throws {
        try await database.withStorage { storage, _ async throws in
            try await storage.addMissingShops([Shop(id: 10010, name: "Vallblanca"), Shop(id: 10030, name: "Norte")])
            try await storage.setStock(shop: 10010, [StockSetting(product: "A", onHand: 10, blocked: 0)], origin: .central, at: 1)
            try await storage.setStock(shop: 10030, [StockSetting(product: "A", onHand: 10, blocked: 0)], origin: .central, at: 1)
            let now = BackroomClock.system.nowMillis()
            for shop in [10010, 10030] {
                let request = ReservationRequest(lifetime: 600, type: .complete, lines: [ReservationLine(product: "A", qty: 3)])
                _ = try await storage.applyReservations([.create(shop: shop, request: request, idempotency: nil)], at: now, origin: .central)
            }
            try await storage.setStock(shop: 10010, [StockSetting(product: "B", onHand: 10, blocked: 4)], origin: .central, at: 1)
            #expect(
                try await Self.held(storage, [10010], at: now)
                    == HeldQuantities(
                        reserved: [ProductKey(shop: 10010, product: "A"): 3],
                        blocked: [ProductKey(shop: 10010, product: "B"): 4]
                    ),
                "only the shops asked for"
            )
            #expect(try await Self.held(storage, [10010], at: now + 601_000).reserved.isEmpty, "expired")

            let a = ProductKey(shop: 10010, product: "A")
            let elsewhere = ProductKey(shop: 10030, product: "A")
            try await storage.applyReplicated(
                [],
                recording: nil,
                figures: CentralFigures(
                    shops: [10010],
                    reserved: [a: 3, ProductKey(shop: 10010, product: "B"): 1],
                    blocked: [a: 2, elsewhere: 5],
                    users: [],
                    preferences: [:]
                )
            )
            #expect(try await storage.centralReserved(shop: 10010, products: ["A", "B", "C"]) == ["A": 3, "B": 1])
            #expect(try await Self.held(storage, [10010, 10030], at: now).blocked == [a: 2], "only the shops the figures are for")
            try await storage.applyReplicated(
                [],
                recording: nil,
                figures: CentralFigures(shops: [10010], reserved: [:], blocked: [:], users: [], preferences: [:])
            )
            #expect(try await storage.centralReserved(shop: 10010, products: ["A", "B"]).isEmpty, "replaced, not added to")
            #expect(try await Self.held(storage, [10010], at: now).blocked.isEmpty)
        }
    }
}
