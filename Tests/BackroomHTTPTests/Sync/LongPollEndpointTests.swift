import BackroomCore
import BackroomStorage
import BackroomTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// A store's pull as a long poll: parked while there is no news for the store, answered when
/// something for its shops is committed.
struct LongPollEndpointTests {
    static func escaped(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "" }

    static func saleElsewhere(_ sequence: Int64, shop: Int = 10010) -> ReplicatedMovement {
        ReplicatedMovement(
            origin: try! ServerKey("NORTE"),
            sequence: sequence,
            shop: shop,
            product: "First-Test",
            qty: -1,
            reason: .sale,
            reference: nil,
            createdAt: 1_700_000_000_000
        )
    }

    @Test(arguments: TestDatabase.allCases)
    func aCaughtUpPullWaitsForNewsAndIsAnsweredWhenItIsCommitted(_ database: TestDatabase) async throws {
        let manual = ManualClock()
        try await LiveServer.run(on: database, clock: manual.clock) { client, storage async throws in
            #expect(await Poll.until { storage.changes.isLive })
            let first = try await client.call(.get, "/sync/v1/pull", headers: SyncEndpointTests.store)
            let cursor = try #require(try first.json["cursor"] as? String)
            let state = try #require(try first.json["state"] as? String)
            let next = "/sync/v1/pull?after=\(Self.escaped(cursor))&seen=\(Self.escaped(state))"

            // Nothing new for its shops (a sale in another shop is not): the pull takes its whole
            // wait, then says so, its cursor stepped past the other shop's sale.
            try await storage.applyReplicated([Self.saleElsewhere(1, shop: 10030)], recording: nil, figures: nil)
            let idleWatchers = storage.changes.watching
            let answeredIdle = Gate()
            async let idlePull = {
                defer { answeredIdle.open() }
                return try await client.call(.get, next + "&wait=1", headers: SyncEndpointTests.store)
            }()
            #expect(await Poll.until { storage.changes.watching > idleWatchers }, "the pull parks")
            #expect(!answeredIdle.isOpen, "answered before its wait was over")
            manual.advance(by: .seconds(1))
            let idle = try await idlePull
            #expect(try idle.json["movements"] as? [Any] != nil && (try idle.json["movements"] as? [Any])?.isEmpty == true)
            #expect(try idle.json["state"] as? String == state)
            let stepped = try #require(try idle.json["cursor"] as? String)
            #expect(SyncCursor(encoded: stepped)?.position(of: try ServerKey("NORTE")) == 1)

            // A sale of another store in its shop, committed while the pull waits, answers it.
            let watchingBefore = storage.changes.watching
            async let parked = client.call(.get, next + "&wait=30", headers: SyncEndpointTests.store)
            #expect(await Poll.until { storage.changes.watching > watchingBefore }, "the pull parks")
            let sold = manual.clock.now
            try await storage.applyReplicated([Self.saleElsewhere(2)], recording: nil, figures: nil)
            let answered = try await parked
            #expect(manual.clock.now == sold, "woken by the commit: its wait cannot have ended, the clock stood still")
            let movements = try #require(try answered.json["movements"] as? [[String: Any]])
            #expect(movements.count == 1 && movements.first?["origin"] as? String == "NORTE")
        }
    }

    @Test func aStateUnlikeTheStoresIsNewsAtOnce() async throws {
        let manual = ManualClock()
        try await LiveServer.run(on: .sqlite, clock: manual.clock) { client, _ async throws in
            let first = try await client.call(.get, "/sync/v1/pull", headers: SyncEndpointTests.store)
            let cursor = try #require(try first.json["cursor"] as? String)
            let started = manual.clock.now
            let answered = try await client.call(
                .get,
                "/sync/v1/pull?after=\(Self.escaped(cursor))&wait=30&seen=stale",
                headers: SyncEndpointTests.store
            )
            #expect(answered.status == .ok)
            #expect(manual.clock.now == started, "answered at once: the clock stood still")
            #expect(try answered.json["state"] as? String == first.json["state"] as? String)
        }
    }

    @Test(arguments: ["51", "-1", "x", "", "1.5"])
    func aWaitOutsideItsBoundsIsRefused(_ wait: String) async throws {
        try await LiveServer.run(on: .sqlite) { client, _ async throws in
            let refused = try await client.call(.get, "/sync/v1/pull?wait=\(wait)", headers: SyncEndpointTests.store)
            #expect(refused.status == .badRequest)
            #expect(try refused.json["error"] as? String == "wait must be whole seconds from 0 to 50")
        }
    }
}
