import AsyncHTTPClient
import BackroomCore
import BackroomTestSupport
import Foundation
import Hummingbird
import NIOCore
import NIOFoundationCompat
import Synchronization
import Testing

/// Issue 25: what an operator's tools see of a running server — systemd's notifications, its
/// liveness and readiness, its software — and the rule that a store is never newer than central.
struct OperationsProcessTests {
    /// A datagram socket like systemd's `NOTIFY_SOCKET`, and what was sent to it.
    final class NotifySocket: Sendable {
        let path: String
        private let descriptor: Int32
        let received = Mutex<[String]>([])

        init() throws {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("notify-\(UUID().uuidString.prefix(8)).sock").path
            descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            #expect(bound == 0)
            var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
            setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            Thread.detachNewThread { [self] in
                var buffer = [UInt8](repeating: 0, count: 4096)
                while true {
                    let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
                    if count > 0 {
                        let message = String(decoding: buffer[0..<count], as: UTF8.self)
                        received.withLock { $0.append(message) }
                    } else if count < 0 && errno != EAGAIN && errno != EWOULDBLOCK {
                        return
                    }
                }
            }
        }

        func count(of state: String) -> Int {
            received.withLock { $0.filter { $0.split(separator: "\n").contains(Substring(state)) }.count }
        }

        deinit {
            shutdown(descriptor, Int32(SHUT_RDWR))
            close(descriptor)
            unlink(path)
        }
    }

    @Test func theServerTellsSystemdItIsReadyPingsItsWatchdogAndSaysItIsStopping() async throws {
        try await TestDatabase.sqlite.withFresh { database async throws in
            let notify = try NotifySocket()
            let server = try BackroomProcess.start(
                ["serve", "--demo", "--port", "0", "--database", database.url],
                environment: ["NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "200000"]
            )
            defer { server.signal(SIGKILL) }
            _ = try await server.listeningPort()
            #expect(try await StoreLinkProcessTests.eventually { notify.count(of: "READY=1") == 1 }, "\(notify.received.withLock { $0 })")
            #expect(notify.received.withLock { $0.first { $0.contains("READY=1") } }?.contains("STATUS=listening on http://127.0.0.1:") == true)
            #expect(try await StoreLinkProcessTests.eventually { notify.count(of: "WATCHDOG=1") >= 3 }, "every 100 ms for a 200 ms watchdog")
            #expect(notify.count(of: "STOPPING=1") == 0)
            server.signal(SIGTERM)
            #expect(await server.waitForExit() == 0)
            #expect(try await StoreLinkProcessTests.eventually { notify.count(of: "STOPPING=1") == 1 })
        }
    }

    @Test func aWatchdogMeantForAnotherProcessIsNotPinged() async throws {
        try await TestDatabase.sqlite.withFresh { database async throws in
            let notify = try NotifySocket()
            let server = try BackroomProcess.start(
                ["serve", "--demo", "--port", "0", "--database", database.url],
                environment: ["NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "200000", "WATCHDOG_PID": "1"]
            )
            defer { server.signal(SIGKILL) }
            _ = try await server.listeningPort()
            #expect(try await StoreLinkProcessTests.eventually { notify.count(of: "READY=1") == 1 })
            // Pinging, it would have pinged every 100 ms: five chances, none taken.
            #expect(await Poll.until(within: .milliseconds(500)) { notify.count(of: "WATCHDOG=1") > 0 } == false)
        }
    }

    @Test func theVersionIsPrintedAndServedWithTheSyncProtocol() async throws {
        let printed = try await BackroomProcess.run(["--version"])
        #expect(printed.status == 0)
        #expect(printed.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == PeerSoftware.current.description)
        try await TestDatabase.sqlite.withFresh { database async throws in
            let (central, base) = try await StoreLinkProcessTests.runningCentral(database.url)
            defer { central.signal(SIGKILL) }
            let health = try await StoreLinkProcessTests.json(.GET, "\(base)/health")
            #expect(health.json["version"] as? String == PeerSoftware.current.version)
            #expect(health.json["syncProtocol"] as? Int == PeerSoftware.current.syncProtocol)
            let live = try await StoreLinkProcessTests.json(.GET, "\(base)/livez")
            #expect(live.status == 200 && live.json["status"] as? String == "alive")
            let ready = try await StoreLinkProcessTests.json(.GET, "\(base)/readyz")
            #expect(ready.status == 200 && ready.json["status"] as? String == "ready")
            let metrics = try await StoreLinkProcessTests.text("\(base)/metrics")
            #expect(
                metrics.contains(
                    #"backroom_build_info{version="\#(PeerSoftware.current.version)",sync_protocol="\#(PeerSoftware.current.syncProtocol)"} 1"#
                ),
                "\(metrics)"
            )
        }
    }

    @Test func aStoreThatHasNotLoadedFromCentralIsAliveButNotReady() async throws {
        try await TestDatabase.sqlite.withFresh { database async throws in
            let nowhere = try await ServerStatusProcessTests.freePort()
            let store = try BackroomProcess.start([
                "serve", "--role", "store", "--server-key", "VALLBLANCA", "--port", "0", "--central-url", "http://127.0.0.1:\(nowhere)",
                "--central-token", "demo-vallblanca-token", "--database", database.url,
            ])
            defer { store.signal(SIGKILL) }
            let base = "http://127.0.0.1:\(try await store.listeningPort())"
            #expect(try await StoreLinkProcessTests.json(.GET, "\(base)/livez").status == 200)
            let ready = try await StoreLinkProcessTests.json(.GET, "\(base)/readyz")
            #expect(ready.status == 503)
            #expect((ready.json["reason"] as? String)?.contains("has not loaded") == true, "\(ready.json)")
        }
    }

    /// A console session of the demo's admin: its cookies.
    static func consoleSession(_ base: String) async throws -> String {
        var request = HTTPClientRequest(url: "\(base)/api/v1/login")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: #"{"user": "admin", "password": "admin"}"#))
        let response = try await ProcessHTTP.execute(request, timeout: .seconds(30))
        return response.headers["Set-Cookie"].map { String($0.split(separator: ";")[0]) }.joined(separator: "; ")
    }

    static func page(_ url: String, cookie: String) async throws -> String {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Cookie", value: cookie)
        let response = try await ProcessHTTP.execute(request, timeout: .seconds(30))
        return String(buffer: try await response.body.collect(upTo: 1 << 22))
    }

    /// A sync call as a store of another build makes it: its status, its answer and central's protocol header.
    static func pull(
        _ base: String,
        version: String?,
        syncProtocol: String?
    ) async throws -> (status: UInt, json: [String: Any], centralProtocol: String?) {
        var request = HTTPClientRequest(url: "\(base)/sync/v1/pull?after=&limit=1")
        request.headers.add(name: "Authorization", value: "Bearer demo-vallblanca-token")
        request.headers.add(name: PeerHeaders.key, value: "VALLBLANCA")
        request.headers.add(name: PeerHeaders.status, value: "ON")
        if let version { request.headers.add(name: PeerHeaders.version, value: version) }
        if let syncProtocol { request.headers.add(name: PeerHeaders.syncProtocol, value: syncProtocol) }
        let response = try await ProcessHTTP.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 1 << 22)
        let json = (try? JSONSerialization.jsonObject(with: Data(buffer: bytes))) as? [String: Any] ?? [:]
        return (response.status.code, json, response.headers.first(name: PeerHeaders.syncProtocol))
    }

    @Test(arguments: TestDatabase.allCases)
    func centralRecordsWhatEachStoreRunsAndRefusesAStoreNewerThanItself(_ database: TestDatabase) async throws {
        try await database.withFresh { fresh async throws in
            let (central, base) = try await StoreLinkProcessTests.runningCentral(fresh.url)
            defer { central.signal(SIGKILL) }

            let older = try await Self.pull(base, version: nil, syncProtocol: nil)
            #expect(older.status == 200, "a store from before the protocol was named still syncs")
            #expect(older.centralProtocol == String(PeerSoftware.current.syncProtocol))
            let same = try await Self.pull(base, version: "0.25.0", syncProtocol: String(PeerSoftware.current.syncProtocol))
            #expect(same.status == 200)
            var listed = try await MixedFleetProcessTests.registered(base, "VALLBLANCA")
            #expect(listed?["version"] as? String == "0.25.0")
            #expect(listed?["syncProtocol"] as? Int == PeerSoftware.current.syncProtocol)

            let newer = try await Self.pull(base, version: "9.0.0", syncProtocol: String(PeerSoftware.current.syncProtocol + 1))
            #expect(newer.status == 409)
            #expect((newer.json["error"] as? String)?.contains("update central first") == true, "\(newer.json)")
            #expect(newer.json["movements"] == nil, "nothing exchanged")
            #expect(newer.centralProtocol == String(PeerSoftware.current.syncProtocol), "said on a refusal too")
            listed = try await MixedFleetProcessTests.registered(base, "VALLBLANCA")
            #expect(listed?["version"] as? String == "9.0.0")
            let page = try await Self.page("\(base)/stores", cookie: try await Self.consoleSession(base))
            #expect(page.contains("9.0.0, sync \(PeerSoftware.current.syncProtocol + 1): not syncing"), "on central's console")
            let metrics = try await StoreLinkProcessTests.text("\(base)/metrics")
            #expect(
                metrics.contains(
                    #"backroom_store_info{store="VALLBLANCA",version="9.0.0",sync_protocol="\#(PeerSoftware.current.syncProtocol + 1)"} 1"#
                ),
                "\(metrics)"
            )
            #expect(metrics.contains(#"backroom_store_sync_protocol{store="VALLBLANCA"} \#(PeerSoftware.current.syncProtocol + 1)"#))

            let nonsense = try await Self.pull(base, version: "<script>", syncProtocol: "two")
            #expect(nonsense.status == 200, "a header that names nothing is no software: the protocol before it was named")
            listed = try await MixedFleetProcessTests.registered(base, "VALLBLANCA")
            #expect(listed?["version"] as? String == "9.0.0", "and is not recorded")
        }
    }

    /// What a central from before the sync protocol was named is sent.
    final class OlderCentral: Sendable {
        let pushes = Mutex(0)
        let pulls = Mutex(0)
    }

    @Test func aStoreNewerThanItsCentralStopsSyncingWithAReasonAndKeepsSelling() async throws {
        try await TestDatabase.sqlite.withFresh { centralDatabase async throws in
            try await TestDatabase.sqlite.withFresh { storeDatabase async throws in
                try await StoreLinkProcessTests.preferQuickOutages(centralDatabase.url)
                let central = try StoreLinkProcessTests.startCentral(centralDatabase.url)
                let port = try await central.listeningPort()
                let store = try StoreLinkProcessTests.startStore(storeDatabase.url, central: "http://127.0.0.1:\(port)")
                defer { store.signal(SIGKILL) }
                let base = "http://127.0.0.1:\(try await store.listeningPort())"
                #expect(
                    try await StoreLinkProcessTests.eventually(within: .seconds(60)) {
                        try await StoreLinkProcessTests.status(base, of: "VALLBLANCA") == "ON"
                    }
                )
                central.signal(SIGTERM)
                #expect(await central.waitForExit() == 0)

                // Central "rolled back" to a build that predates the store's protocol, at the same address.
                let older = OlderCentral()
                var configuration = ApplicationConfiguration(address: .hostname("127.0.0.1", port: port))
                configuration.serverName = nil
                let router = Router()
                router.get("sync/v1/pull") { _, _ in
                    older.pulls.withLock { $0 += 1 }
                    return Response(
                        status: .ok,
                        headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(string: #"{"movements": [], "cursor": "", "more": false}"#))
                    )
                }
                router.post("sync/v1/push") { _, _ in
                    older.pushes.withLock { $0 += 1 }
                    return Response(
                        status: .ok,
                        headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(string: #"{"applied": 0, "highWater": 0}"#))
                    )
                }
                let app = Application(router: router, configuration: configuration)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await app.runService() }
                    defer { group.cancelAll() }
                    #expect(try await StoreLinkProcessTests.eventually { older.pulls.withLock { $0 } > 0 })
                    #expect(try await StoreLinkProcessTests.sell(base, "First-Test", key: "while-central-is-older") == 201, "the tills go on")
                    let cookie = try await Self.consoleSession(base)
                    let overview = try await StoreLinkProcessTests.eventually {
                        try await Self.page("\(base)/", cookie: cookie).contains("update central first")
                    }
                    #expect(overview, "the reason, on the store's console")
                    #expect(store.stdout.contains("update central first"), "and in its log")
                    // The sale woke the push loop at once: two seconds to see it send, which it must not.
                    #expect(
                        await Poll.until(within: .seconds(2)) { older.pushes.withLock { $0 } > 0 } == false,
                        "nothing sent that central could misread"
                    )
                    #expect(try await StoreLinkProcessTests.onHand(base, "First-Test") == 99)
                }
            }
        }
    }

    @Test func aJSONLogIsOneObjectPerLineWithTheTextLogsFields() async throws {
        try await TestDatabase.sqlite.withFresh { database async throws in
            let server = try BackroomProcess.start(["serve", "--demo", "--port", "0", "--log-format", "json", "--database", database.url])
            defer { server.signal(SIGKILL) }
            func entries() -> [[String: Any]] {
                server.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            }
            #expect(try await StoreLinkProcessTests.eventually { entries().contains { $0["message"] as? String == "listening" } })
            let listening = try #require(entries().first { $0["message"] as? String == "listening" })
            let url = try #require((listening["metadata"] as? [String: String])?["url"])
            #expect(try await StoreLinkProcessTests.json(.GET, "\(url)/livez").status == 200)
            server.signal(SIGTERM)
            #expect(await server.waitForExit() == 0)
            let lines = server.stdout.split(separator: "\n")
            #expect(lines.count == entries().count, "every line an object: \(server.stdout)")
            for entry in entries() {
                #expect(Set(entry.keys) == ["timestamp", "level", "label", "source", "message", "metadata"], "\(entry)")
            }
            #expect(entries().contains { $0["level"] as? String == "notice" && $0["message"] as? String == "stopped" })
        }
        let refused = try await BackroomProcess.run(["serve", "--log-format", "xml"])
        #expect(refused.status == 2)
        #expect(refused.stderr == "backroom: log format must be text or json, got 'xml'\n")
    }
}
