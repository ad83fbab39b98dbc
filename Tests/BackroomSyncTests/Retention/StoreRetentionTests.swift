import BackroomCore
import BackroomSecurity
import BackroomStorage
import BackroomTestSupport
import Testing

@testable import BackroomSync

/// A store keeps its own history bounded too: its own movements once central has them, central's
/// once older than the retention (nobody reads them from the store).
struct StoreRetentionTests {
    static let own = try! ServerKey("VALLBLANCA")

    @Test(arguments: TestDatabase.allCases)
    func aStoreDeletesItsOwnMovementsOnlyOnceCentralHasThem(_ database: TestDatabase) async throws {
        let manual = ManualClock()
        try await database.withStorage(clock: manual.clock) { storage, _ async throws in
            let old = manual.clock.nowMillis()
            try await storage.addMissingShops([Shop(id: 10010, name: "Vallblanca")])
            let pulled = (1...4).map {
                ReplicatedMovement(
                    origin: .central,
                    sequence: $0,
                    shop: 10010,
                    product: "A",
                    qty: 10,
                    reason: .receipt,
                    reference: nil,
                    createdAt: old
                )
            }
            try await storage.applyReplicated(pulled, recording: nil, figures: nil)
            for _ in 1...5 {
                _ = try await storage.recordMovements(
                    shop: 10010,
                    [MovementRequest(product: "A", reason: .sale, change: .quantity(-1), reference: nil)],
                    idempotency: nil,
                    origin: Self.own,
                    at: old
                )
            }
            try await storage.setSyncState(.linkPushed, "3")
            try await storage.registerServer(
                ServerRegistration(key: .central, name: "CENTRAL", type: .main, url: "http://127.0.0.1:9", shops: []),
                tokenFingerprint: nil
            )
            let link = StoreLink(
                storage: storage,
                localChanges: storage.changes,
                readiness: StorageReadiness(),
                own: Self.own,
                centralURLs: ["http://127.0.0.1:9"],
                token: "unused",
                secrets: .ephemeral(),
                clock: manual.clock,
                logger: TestLogger.quiet
            )
            let engine = SyncEngine(
                storage: storage,
                readiness: StorageReadiness(),
                role: .store,
                own: Self.own,
                connectors: [.centralLink: CentralLinkConnector(link: link)],
                secrets: .ephemeral(),
                clock: manual.clock,
                logger: TestLogger.quiet
            )
            try await engine.linkRegistry()

            manual.advance(by: .seconds(91 * 86_400))
            let report = try await RetentionRun(storage: storage, engine: engine, clock: manual.clock, logger: TestLogger.quiet).run()
            #expect(report.movements == 4 + 3)
            #expect(try await storage.oldestMovements(of: Self.own, limit: 10).map(\.sequence) == [4, 5], "central has not said it has these")
            #expect(try await storage.oldestMovements(of: .central, limit: 10).isEmpty)
            #expect(try await storage.stockLevel(shop: 10010, product: "A")?.onHand == 40 - 5, "on hand is the stock line's, not the history's")
        }
    }
}
