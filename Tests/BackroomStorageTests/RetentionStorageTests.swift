import BackroomCore
import BackroomStorage
import BackroomTestSupport
import Testing

struct RetentionStorageTests {
    static let north = try! ServerKey("NORTE")
    static let day = RetentionPolicy.dayMillis
    static let now = ReservationStorageTests.now

    static func north(_ sequences: ClosedRange<Int64>) -> [ReplicatedMovement] {
        sequences.map { SyncStorageTests.movement(Self.north, $0) }
    }

    @Test(arguments: TestDatabase.allCases)
    func finishedReservationsGoWithTheirItemsAfterTheirRetentionAndTheRestStays(_ database: TestDatabase) async throws {
        try await database.withStorage { storage, fresh async throws in
            try await ReservationStorageTests.seed(storage, ["A": 100])
            let make = { (lifetime: Int64, at: Int64) in
                try ReservationStorageTests.createdID(
                    try await storage.applyReservations([ReservationStorageTests.create([("A", 1)], lifetime: lifetime)], at: at, origin: .central)
                        .first
                )
            }
            let committed = try await make(600, Self.now)
            let cancelled = try await make(600, Self.now)
            let expired = try await make(1, Self.now)
            let longLived = try await make(60 * 86_400, Self.now)
            let recent = try await make(600, Self.now + 40 * Self.day)
            _ = try await storage.applyReservations([.commit(id: committed)], at: Self.now + 1, origin: .central)
            _ = try await storage.applyReservations([.cancel(id: cancelled)], at: Self.now + 2, origin: .central)
            _ = try await storage.applyReservations([.commit(id: recent)], at: Self.now + 40 * Self.day + 1, origin: .central)

            // Walked two at a time, as the run walks them 500 at a time.
            let cutoff = Self.now + 30 * Self.day
            var deleted = 0
            var after: Int64 = 0
            var steps = 0
            while true {
                let sweep = try await storage.deleteFinishedReservations(after: after, limit: 2, finishedBefore: cutoff)
                deleted += sweep.deleted
                steps += 1
                guard !sweep.done, let walked = sweep.walkedThrough else { break }
                after = walked
            }
            #expect(deleted == 3 && steps == 3, "two steps of old ones, and the step that meets a recent one ends the walk")
            for id in [committed, cancelled, expired] { #expect(try await storage.reservation(id: id) == nil) }
            #expect(try await storage.reservation(id: longLived)?.state == .active, "still holding stock")
            #expect(try await storage.reservation(id: recent)?.state == .committed, "finished within the retention")
            #expect(try await fresh.number("SELECT COUNT(*) FROM reservation_items") == 2, "the items of the two kept")
            let again = try await storage.deleteFinishedReservations(after: 0, limit: 500, finishedBefore: cutoff)
            #expect(again == ReservationSweep(deleted: 0, walkedThrough: longLived, done: true))
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func deletedMovementsLeaveAHorizonAtOrBelowWhichNothingIsAppliedAgain(_ database: TestDatabase) async throws {
        try await database.withStorage { storage, _ async throws in
            try await storage.addMissingShops([Shop(id: 10010, name: "Vallblanca")])
            #expect(try await storage.applyReplicated(Self.north(1...5), recording: nil, figures: nil) == 5)
            #expect(try await storage.deleteMovements(of: Self.north, through: 3) == 3)
            #expect(try await storage.oldestMovements(of: Self.north, limit: 10).map(\.sequence) == [4, 5])
            #expect(try await storage.movementHorizons()[Self.north] == 3)
            #expect(try await storage.applyReplicated(Self.north(1...5), recording: nil, figures: nil) == 0, "sent again: applied once already")
            #expect(try await storage.stockLevel(shop: 10010, product: "A")?.onHand == -5)

            #expect(try await storage.deleteMovements(of: Self.north, through: 5) == 2)
            #expect(try await storage.highestSequence(of: Self.north) == 5, "held through 5, though no row is left")
            #expect(try await storage.deleteMovements(of: Self.north, through: 4) == 0)
            #expect(try await storage.movementHorizons()[Self.north] == 5, "a horizon never moves back")
            #expect(try await storage.applyReplicated(Self.north(1...6), recording: nil, figures: nil) == 1)
            #expect(try await storage.stockLevel(shop: 10010, product: "A")?.onHand == -6)
        }
    }

    /// A push sent again while retention deletes what it carries (a store restored from an old
    /// copy): each movement counts once, whichever commits first.
    @Test(arguments: TestDatabase.allCases)
    func retentionRacingAPushSentAgainAppliesNothingTwice(_ database: TestDatabase) async throws {
        try await database.withStorage { storage, _ async throws in
            try await storage.addMissingShops([Shop(id: 10010, name: "Vallblanca")])
            #expect(try await storage.applyReplicated(Self.north(1...200), recording: nil, figures: nil) == 200)
            let applied = try await withThrowingTaskGroup(of: Int.self) { group in
                group.addTask {
                    for through in stride(from: Int64(10), through: 200, by: 10) {
                        _ = try await storage.deleteMovements(of: Self.north, through: through)
                    }
                    return 0
                }
                for _ in 0..<4 {
                    group.addTask {
                        var applied = 0
                        for _ in 0..<10 { applied += try await storage.applyReplicated(Self.north(1...200), recording: nil, figures: nil) }
                        return applied
                    }
                }
                return try await group.reduce(0, +)
            }
            #expect(applied == 0)
            #expect(try await storage.stockLevel(shop: 10010, product: "A")?.onHand == -200)
            #expect(try await storage.highestSequence(of: Self.north) == 200)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aSnapshotIsStockAsItStandsAndAStoreLoadsItWithItsOwnUnsentSalesOnTop(_ database: TestDatabase) async throws {
        try await database.withStorage { storage, _ async throws in
            try await ReservationStorageTests.seed(storage, ["A": 10, "B": 3])
            let snapshot = try await storage.stockSnapshot(shops: [10010])
            #expect(snapshot.stock == (try await storage.stockLines(shops: [10010])))
            #expect(snapshot.heads == SyncCursor([.central: try await storage.highestSequence(of: .central)]))

            // As a store: two sales of its own, of which central's snapshot holds the first.
            for _ in 1...2 {
                _ = try await storage.recordMovements(shop: 10010, [MovementStorageTests.sale], idempotency: nil, origin: Self.north, at: Self.now)
            }
            let central = StockSnapshot(
                stock: [StockLevel(shop: 10010, product: "A", onHand: 50, blocked: 1), StockLevel(shop: 10010, product: "C", onHand: 7, blocked: 0)],
                heads: SyncCursor([.central: 9, Self.north: 1])
            )
            try await storage.load(central, shops: [10010], own: Self.north)
            #expect(try await storage.stockLevel(shop: 10010, product: "A") == StockLevel(shop: 10010, product: "A", onHand: 48, blocked: 1))
            #expect(try await storage.stockLevel(shop: 10010, product: "B")?.onHand == 0, "central has none of it")
            #expect(try await storage.stockLevel(shop: 10010, product: "C")?.onHand == 7, "a line central has and the store lacked")
            #expect(try await storage.syncState(.linkCursor) == central.heads.encoded)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aRemovedStoreOrConnectionTakesWhatWasKeptOfItAlong(_ database: TestDatabase) async throws {
        try await database.withStorage { storage, fresh async throws in
            try await storage.registerServer(ServerRegistryStorageTests.norte, tokenFingerprint: nil)
            try await storage.registerServer(ServerRegistryStorageTests.sur, tokenFingerprint: nil)
            for store in [ServerRegistryStorageTests.norte.key, ServerRegistryStorageTests.sur.key] {
                try await storage.setSyncStates(Dictionary(uniqueKeysWithValues: SyncStateKey.kept(ofStore: store).map { ($0, "1") }))
            }
            try await storage.recordServerStatus(ServerRegistryStorageTests.norte.key, .online, at: Self.now, reason: nil)
            #expect(try await storage.removeServer(key: ServerRegistryStorageTests.norte.key))
            #expect(try await storage.syncStates(SyncStateKey.kept(ofStore: ServerRegistryStorageTests.norte.key)).isEmpty)
            #expect(try await storage.syncStates(SyncStateKey.kept(ofStore: ServerRegistryStorageTests.sur.key)).count == 4, "another's stays")
            #expect(try await fresh.number("SELECT COUNT(*) FROM server_status_history WHERE server_key = 'NORTE'") == 0)

            let connection = try await storage.addSyncConnection(SyncEngineStorageTests.folder)
            try await storage.setSyncStates(Dictionary(uniqueKeysWithValues: SyncStateKey.kept(ofConnection: connection.id).map { ($0, "1") }))
            try await fresh.executeRaw("INSERT INTO erp_imports (connection_id, file_key, imported_at) VALUES (\(connection.id), 'stock-1.csv', 1)")
            #expect(try await storage.removeSyncConnection(id: connection.id))
            #expect(try await storage.syncStates(SyncStateKey.kept(ofConnection: connection.id)).isEmpty)
            #expect(try await fresh.number("SELECT COUNT(*) FROM erp_imports") == 0)
            #expect(try await storage.syncConnection(id: connection.id)?.deleted == true, "its row stays, marked")
        }
    }
}
