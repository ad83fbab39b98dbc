import BackroomCore
import BackroomStorage
import BackroomTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

@testable import BackroomSync

struct ServerPingerTests {
    /// A request that found the registry stale takes an answer that came after it asked, however
    /// late it reaches the prober; one that asked after that answer has it called again.
    @Test func anAnswerThatCameAfterTheAskIsSharedAndAnOlderOneIsNot() async throws {
        let peer = ServerStatusTests.SlowPeer()
        try await peer.application.test(.live) { peerClient in
            let peerPort = try #require(peerClient.port)
            try await TestDatabase.sqlite.withStorage { storage, _ async throws in
                try await ServerStatusTests.register("NORTE", url: "http://127.0.0.1:\(peerPort)", in: storage)
                let manual = ManualClock()
                let prober = ServerStatusProber(
                    storage: storage,
                    identity: PeerIdentity(key: .central, currentStatus: { .online }),
                    tls: .system,
                    clock: manual.clock
                )
                let key = try ServerKey("NORTE")
                let url = "http://127.0.0.1:\(peerPort)"
                let askedBefore = manual.clock.now
                manual.advance(by: .seconds(1))
                #expect(await prober.probe(key, at: url).status == .transitionToOnline)
                #expect(peer.calls.withLock { $0.count } == 1)
                #expect(await prober.probe(key, at: url, askedAt: askedBefore).status == .transitionToOnline)
                #expect(peer.calls.withLock { $0.count } == 1, "asked before the answer came: shared")
                manual.advance(by: .seconds(1))
                _ = await prober.probe(key, at: url, askedAt: manual.clock.now)
                #expect(peer.calls.withLock { $0.count } == 2, "asked after it: called again")
            }
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aRoundAsksEveryStoreWithAURLAndNotesThePing(_ database: TestDatabase) async throws {
        let peer = ServerStatusTests.SlowPeer()
        try await peer.application.test(.live) { peerClient in
            let peerPort = try #require(peerClient.port)
            try await database.withStorage { storage, _ async throws in
                try await ServerStatusTests.register("NORTE", url: "http://127.0.0.1:\(peerPort)", in: storage)
                try await ServerStatusTests.register("SUR", url: "http://127.0.0.1:1", in: storage)
                try await ServerStatusTests.register("ESTE", url: nil, in: storage)
                let before = BackroomClock.system.nowMillis()
                let pinger = ServerPinger(storage: storage, readiness: StorageReadiness(), own: .central, clock: .system, logger: TestLogger.quiet)
                try await pinger.pingAll()

                let servers = Dictionary(uniqueKeysWithValues: try await storage.servers().map { ($0.registration.key.value, $0) })
                #expect(servers["NORTE"]?.status == .transitionToOnline)
                #expect(servers["SUR"]?.status == .offline)
                #expect(servers["SUR"]?.offlineLog == "SUR at http://127.0.0.1:1: connection refused")
                #expect((servers["NORTE"]?.lastPing ?? 0) >= before && (servers["SUR"]?.lastPing ?? 0) >= before)
                #expect(servers["ESTE"]?.lastPing == nil && servers["ESTE"]?.updatedAt == nil)
                #expect(peer.calls.withLock { $0 } == ["CENTRAL"])
                #expect(peer.bodyCallers.withLock { $0 } == ["CENTRAL"])
                #expect(peer.services.withLock { $0 } == ["MobileServerStatusInformation"])
            }
        }
    }

    /// The original's ping answer may say nothing of the status: that counts as `ON`. A call
    /// that fails is tried again as `OBMOBC_NumberOfRequestRetries` says.
    @Test(arguments: [(2, ServerStatus.online), (3, .offline)])
    func aPingIsRetriedAndAnAnswerWithoutAStatusIsOn(_ failures: Int, _ expected: ServerStatus) async throws {
        let peer = ServerStatusTests.SlowPeer(failing: failures, answer: #"{"response": {}}"#)
        try await peer.application.test(.live) { peerClient in
            let peerPort = try #require(peerClient.port)
            try await TestDatabase.sqlite.withStorage { storage, _ async throws in
                try await ServerStatusTests.register("NORTE", url: "http://127.0.0.1:\(peerPort)", in: storage)
                try await storage.setPreference(.numberOfRequestRetries, value: 2)
                let pinger = ServerPinger(storage: storage, readiness: StorageReadiness(), own: .central, clock: .system, logger: TestLogger.quiet)
                try await pinger.pingAll()
                let norte = try await storage.server(key: try ServerKey("NORTE"))
                #expect(norte?.status == expected)
                #expect(peer.services.withLock { $0.count } == 3)
                if expected == .offline { #expect(norte?.offlineLog == "NORTE at http://127.0.0.1:\(peerPort): bad answer: HTTP 500") }
            }
        }
    }
}
