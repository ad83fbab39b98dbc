import BackroomCore
import BackroomStorage
import BackroomTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

struct ServerStatusTests {
    static let paths = [
        "/org.openbravo.mobile.core.service.jsonrest/org.openbravo.mobile.core.servercontroller.RetrieveMobileServerStatus",
        "/api/v1/servers/status",
    ]
    static let json: HTTPFields = [.contentType: "application/json"]

    static func ask(
        _ client: some TestClientProtocol,
        _ key: String,
        path: String = paths[0],
        headers: HTTPFields = json
    ) async throws -> TestResponse {
        try await client.call(.post, path, body: #"{"serverKey": "\#(key)"}"#, headers: headers)
    }

    static func register(_ key: String, url: String?, in storage: any BackroomStorage) async throws {
        try await storage.registerServer(
            ServerRegistration(key: try ServerKey(key), name: key, type: .store, url: url, shops: []),
            tokenFingerprint: nil
        )
    }

    @Test(arguments: paths)
    func theServersOwnKeyIsAnsweredOnWithoutCredentials(_ path: String) async throws {
        try await LiveServer.run(on: .sqlite) { client, _ async throws in
            let response = try await Self.ask(client, "CENTRAL", path: path)
            #expect(response.status == .ok)
            #expect(String(buffer: response.body) == #"{"response":{"serverKey":"CENTRAL","serverStatus":"ON"}}"#)
        }
    }

    @Test func anUnknownKeyIsOffWithTheReason() async throws {
        try await LiveServer.run(on: .sqlite) { client, _ async throws in
            for key in ["NOPE", "not a key!"] {
                let response = try await Self.ask(client, key)
                #expect(response.status == .ok)
                let answer = try #require(try response.json["response"] as? [String: String])
                #expect(answer == ["serverKey": key, "serverStatus": "OFF", "error": "unknown server key \(key)"])
            }
        }
    }

    @Test func theOriginalPagesExampleWithoutBracesIsUnderstood() async throws {
        try await LiveServer.run(on: .sqlite) { client, _ async throws in
            let response = try await client.call(.post, Self.paths[0], body: #" "serverKey": "CENTRAL""#, headers: Self.json)
            #expect(response.status == .ok)
            #expect(try response.json["response"] as? [String: String] == ["serverKey": "CENTRAL", "serverStatus": "ON"])
        }
    }

    @Test(arguments: ["", "not json", "[1]", #"{"serverKey": 7}"#, #"{"key": "CENTRAL"}"#, #""serverKey": 7"#, #""serverKey": "A"}"#])
    func aBodyWithoutAServerKeyStringIsRefused(_ body: String) async throws {
        try await LiveServer.run(on: .sqlite) { client, _ async throws in
            let response = try await client.call(.post, Self.paths[0], body: body, headers: Self.json)
            #expect(response.status == .badRequest)
            let answer = try #require(try response.json["response"] as? [String: String])
            #expect(answer["serverStatus"] == "OFF")
            #expect(answer["error"]?.isEmpty == false)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aFreshStatusIsAnsweredFromTheRegistryWithoutAsking(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, storage async throws in
            // Nothing listens at port 1: asking would answer OFF.
            try await Self.register("NORTE", url: "http://127.0.0.1:1", in: storage)
            try await storage.recordServerStatus(try ServerKey("NORTE"), .transitionToOnline, at: BackroomClock.system.nowMillis(), reason: nil)
            let answer = try await Self.ask(client, "NORTE").json["response"] as? [String: String]
            #expect(answer == ["serverKey": "NORTE", "serverStatus": "TON"])
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aStaleStatusIsAskedForAndAFailureStoredWithItsReason(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, storage async throws in
            try await Self.register("NORTE", url: "http://127.0.0.1:1", in: storage)
            try await Self.register("SUR", url: nil, in: storage)
            let before = BackroomClock.system.nowMillis()
            let norte = try #require(try await Self.ask(client, "NORTE").json["response"] as? [String: String])
            #expect(norte["serverStatus"] == "OFF")
            #expect(norte["error"] == "NORTE at http://127.0.0.1:1: connection refused")
            let stored = try #require(try await storage.server(key: try ServerKey("NORTE")))
            #expect(stored.status == .offline && (stored.updatedAt ?? 0) >= before)
            #expect(stored.offlineLog == norte["error"])

            let sur = try #require(try await Self.ask(client, "SUR").json["response"] as? [String: String])
            #expect(sur["error"] == "SUR at no URL: no URL is registered")
        }
    }

    /// A peer that answers `TON` once its test lets it (`answering`), on the status and the ping
    /// service, and notes who asked: by header, and by body (`mobileServerKey`), and on which service.
    final class SlowPeer: Sendable {
        let answering: Gate
        let calls = Mutex<[String]>([])
        let bodyCallers = Mutex<[String]>([])
        let services = Mutex<[String]>([])
        /// How many calls fail with HTTP 500 before it answers.
        let failuresLeft: Mutex<Int>
        let answer: String

        /// `holding`: answers only once the test opens `answering`.
        init(failing: Int = 0, answer: String = #"{"response": {"serverKey": "NORTE", "serverStatus": "TON"}}"#, holding: Bool = false) {
            failuresLeft = Mutex(failing)
            self.answer = answer
            answering = Gate()
            if !holding { answering.open() }
        }

        var application: some ApplicationProtocol {
            let router = Router()
            for path in [ServerStatusTests.paths[0], ServerStatusTests.pingPath] {
                router.post(RouterPath(path)) { request, _ -> Response in
                    let body = try await request.body.collect(upTo: 4096)
                    let fields = try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]
                    self.services.withLock { $0.append(String(path.split(separator: ".").last ?? "")) }
                    if self.failuresLeft.withLock({ left in
                        defer { left -= 1 }
                        return left > 0
                    }) {
                        return Response(status: .internalServerError)
                    }
                    self.calls.withLock { $0.append(request.headers[HTTPField.Name("X-Backroom-Server-Key")!] ?? "") }
                    self.bodyCallers.withLock { $0.append(fields?["mobileServerKey"] as? String ?? "") }
                    await self.answering.wait()
                    return Response(
                        status: .ok,
                        headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(string: self.answer))
                    )
                }
            }
            return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        }
    }

    static let pingPath = "/org.openbravo.mobile.core.service.jsonrest/org.openbravo.mobile.core.servercontroller.MobileServerStatusInformation"

    @Test func manyRequestsForOneStaleKeyMakeOneCall() async throws {
        let peer = SlowPeer(holding: true)
        try await peer.application.test(.live) { peerClient in
            let peerPort = try #require(peerClient.port)
            try await LiveServer.run(on: .sqlite) { client, storage async throws in
                try await Self.register("NORTE", url: "http://127.0.0.1:\(peerPort)/", in: storage)
                async let asked = client.concurrentStatuses(
                    20,
                    .post,
                    Self.paths[1],
                    headers: { _ in Self.json },
                    body: { _ in #"{"serverKey": "NORTE"}"# }
                )
                // The peer holds its answer while the others come in behind the first call.
                #expect(await Poll.until { !peer.calls.withLock { $0.isEmpty } })
                peer.answering.open()
                let statuses = try await asked
                #expect(statuses == Array(repeating: .ok, count: 20))
                #expect(peer.calls.withLock { $0 } == ["CENTRAL"])
                #expect(peer.bodyCallers.withLock { $0 } == ["CENTRAL"])
                #expect(peer.services.withLock { $0 } == ["RetrieveMobileServerStatus"])
                #expect(try await storage.server(key: try ServerKey("NORTE"))?.status == .transitionToOnline)
                // Now fresh: answered from the registry, without a second call.
                let answer = try await Self.ask(client, "NORTE").json["response"] as? [String: String]
                #expect(answer == ["serverKey": "NORTE", "serverStatus": "TON"])
                #expect(peer.calls.withLock { $0.count } == 1)
            }
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aCallersKeyAndStatusRefreshItsRegistryRow(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, storage async throws in
            let before = BackroomClock.system.nowMillis()
            var headers = Self.json
            headers[HTTPField.Name("X-Backroom-Server-Key")!] = "VALLBLANCA"
            headers[HTTPField.Name("X-Backroom-Server-Status")!] = "TON"
            #expect(try await Self.ask(client, "CENTRAL", headers: headers).status == .ok)
            let stored = try #require(try await storage.server(key: try ServerKey("VALLBLANCA")))
            #expect(stored.status == .transitionToOnline && (stored.updatedAt ?? 0) >= before)
        }
    }

    /// The original suite's centrals name themselves in the body, not in headers.
    @Test(arguments: TestDatabase.allCases)
    func aCallerNamedInTheBodyRefreshesItsRegistryRowToo(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, storage async throws in
            let before = BackroomClock.system.nowMillis()
            let body = #"{"serverKey": "CENTRAL", "mobileServerKey": "VALLBLANCA", "serverStatus": "TOFF"}"#
            let response = try await client.call(.post, Self.paths[0], body: body, headers: Self.json)
            #expect(try response.json["response"] as? [String: String] == ["serverKey": "CENTRAL", "serverStatus": "ON"])
            let stored = try #require(try await storage.server(key: try ServerKey("VALLBLANCA")))
            #expect(stored.status == .transitionToOffline && (stored.updatedAt ?? 0) >= before)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func thePingServiceRecordsTheCallerAndAnswersItsOwnStatus(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, storage async throws in
            let before = BackroomClock.system.nowMillis()
            let path = Self.pingPath
            let body = #"{"mobileServerKey": "VALLBLANCA", "serverStatus": "TON", "organization": "0", "client": "0"}"#
            let ping = try await client.call(.post, path + "?authenticationClient=x&authenticationToken=y", body: body, headers: Self.json)
            #expect(ping.status == .ok)
            #expect(try ping.json["response"] as? [String: String] == ["serverStatus": "ON"])
            let stored = try #require(try await storage.server(key: try ServerKey("VALLBLANCA")))
            #expect(stored.status == .transitionToOnline && (stored.lastPing ?? 0) >= before)

            let nameless = try await client.call(.post, path, body: #"{"serverStatus": "ON"}"#, headers: Self.json)
            #expect(nameless.status == .badRequest)
            #expect((try nameless.json["response"] as? [String: String])?["serverStatus"] == "OFF")
        }
    }
}
