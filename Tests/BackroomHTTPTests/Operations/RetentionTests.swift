import BackroomCore
import BackroomStorage
import BackroomTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Retention on a running central: what it deletes, what it keeps for a store, and how a store
/// that was away past what is kept loads afresh.
struct RetentionTests {
    static let day = Duration.seconds(86_400)

    static func store(speaking syncProtocol: Int) -> HTTPFields {
        var headers = SyncEndpointTests.store
        headers[HTTPField.Name(PeerHeaders.version)!] = "0.26.0"
        headers[HTTPField.Name(PeerHeaders.syncProtocol)!] = String(syncProtocol)
        return headers
    }

    /// Moves time on an hour at a time until a retention run has written an entry that `matches`.
    static func runs(_ manual: ManualClock, _ storage: any BackroomStorage, until matches: @escaping @Sendable (String) -> Bool) async -> Bool {
        await Poll.until {
            manual.advance(by: .seconds(3600))
            let entries = (try? await storage.auditEntries(before: nil, limit: 50)) ?? []
            return entries.contains { $0.action == "retention.delete" && matches($0.detail) }
        }
    }

    static func sale(_ storage: any BackroomStorage, at now: Int64) async throws -> Int64 {
        _ = try await storage.recordMovements(
            shop: 10010,
            [MovementRequest(product: "First-Test", reason: .sale, change: .quantity(-1), reference: nil)],
            idempotency: nil,
            origin: .central,
            at: now
        )
        return try await storage.highestSequence(of: .central)
    }

    struct Unexpected: Error {}

    @Test(arguments: TestDatabase.allCases)
    func retentionDeletesWhatEveryConsumerHasAndAStoreAwayPastItLoadsAfresh(_ database: TestDatabase) async throws {
        let manual = ManualClock()
        let clock = manual.clock
        try await LiveServer.run(on: database, clock: clock) { client, storage async throws in
            try await storage.setPreference(.movementRetention, value: 60)
            let current = Self.store(speaking: PeerSoftware.current.syncProtocol)
            // The store pulls everything: its cursor stands at the heads.
            let first = try await client.call(.get, "/sync/v1/pull", headers: current)
            let away = try #require(try first.json["cursor"] as? String)
            let request = ReservationRequest(lifetime: 60, type: .complete, lines: [ReservationLine(product: "First-Test", qty: 1)])
            let made = try await storage.applyReservations(
                [.create(shop: 10010, request: request, idempotency: nil)],
                at: clock.nowMillis(),
                origin: .central
            )
            guard case .created(let reservation) = made.first else { throw Unexpected() }
            let cancelled = reservation.id
            _ = try await storage.applyReservations([.cancel(id: cancelled)], at: clock.nowMillis(), origin: .central)
            let unpulled = try await Self.sale(storage, at: clock.nowMillis())

            // 45 days on, a sale, and the store pulls both: its cursor moves, and is written then.
            manual.advance(by: Self.day * 45)
            let recent = try await Self.sale(storage, at: clock.nowMillis())
            let caughtUp = try await client.call(.get, "/sync/v1/pull?after=\(LongPollEndpointTests.escaped(away))", headers: current)
            #expect(SyncCursor(encoded: try caughtUp.json["cursor"] as? String ?? "")?.position(of: .central) == recent)

            // 91 days from the start, the hourly run: the demo's ERP connections have exported
            // nothing, so every movement stays; the cancelled reservation goes.
            manual.advance(by: Self.day * 46)
            #expect(await Self.runs(manual, storage) { $0.contains(#""finishedReservations":1"#) })
            #expect(try await storage.oldestMovements(of: .central, limit: 1).map(\.sequence) == [1], "the ERP has none of them yet")
            #expect(try await storage.reservation(id: cancelled) == nil, "cancelled more than 30 days ago")

            // Without them, what is older than 60 days goes as far as the store has said it has:
            // its last pull's cursor, not the sale that pull answered.
            for connection in try await storage.syncConnections(includeDeleted: false) where connection.kind != .storeLink {
                #expect(try await storage.removeSyncConnection(id: connection.id))
            }
            #expect(await Self.runs(manual, storage) { $0.contains(#""movements":\#(unpulled - 1)"#) })
            #expect(try await storage.oldestMovements(of: .central, limit: 10).map(\.sequence) == [unpulled, recent])
            #expect(try await storage.movementHorizons()[.central] == unpulled - 1)
            let entry = try #require(try await storage.auditEntries(before: nil, limit: 20).first { $0.action == "retention.delete" })
            #expect(entry.channel == .server && entry.actor == "backroom")
            let metrics = String(buffer: try await client.call(.get, "/metrics").body)
            #expect(metrics.contains(#"backroom_retention_deleted_total{rows="movements"}"#))

            // 62 days after its last pull the store is gone: it holds nothing back any more.
            manual.advance(by: Self.day * 16)
            #expect(await Self.runs(manual, storage) { $0.contains(#""movements":2"#) })
            #expect(try await storage.movementHorizons()[.central] == recent)
            #expect(try await storage.highestSequence(of: .central) == recent, "held through it, though no row is left")

            // A store still at its old cursor missed deleted movements: it is told to load afresh,
            // and one whose software cannot is refused, not served a wrong on hand.
            let behind = try await client.call(.get, "/sync/v1/pull?after=\(LongPollEndpointTests.escaped(away))", headers: current)
            #expect(behind.status == .ok)
            let resync = try #require(try behind.json["resync"] as? String)
            #expect(try await storage.syncState(.peerResync(SyncEndpointTests.vallblanca)) == resync)
            let session = try await ConsoleTests.signIn(client, "admin", "admin")
            let page = try await client.call(.get, "/stores/VALLBLANCA", headers: [.cookie: session.cookie])
            #expect(
                page.text.contains("away longer than movements are kept: loads central&#39;s stock afresh at its next contact"),
                "the console says why"
            )
            let older = Self.store(speaking: PeerSoftware.snapshotProtocol - 1)
            let refused = try await client.call(.get, "/sync/v1/pull?after=\(LongPollEndpointTests.escaped(away))", headers: older)
            #expect(refused.status == .conflict)
            #expect(String(buffer: refused.body).contains("retention has deleted movements VALLBLANCA would need"))
            #expect(try await client.call(.get, "/sync/v1/bootstrap", headers: older).status == .conflict)
            let loaded = try await client.call(.get, "/sync/v1/bootstrap", headers: current)
            let bootstrap = try #require(StoreBootstrap.parse(try JSONReader.read(Array(loaded.body.readableBytesView))))
            #expect(bootstrap.heads?.position(of: .central) == recent)
            #expect(bootstrap.stock == (try await storage.stockLines(shops: [10010])))
            let fresh = try await client.call(
                .get,
                "/sync/v1/pull?after=\(LongPollEndpointTests.escaped(bootstrap.heads?.encoded ?? ""))",
                headers: current
            )
            #expect(try fresh.json["resync"] as? String == resync, "from the snapshot's heads it is not behind: the same mark, no new one")
        }
    }
}
