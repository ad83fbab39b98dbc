import AsyncHTTPClient
import BackroomTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import Synchronization
import Testing

/// Backroom beside servers of the original retail suite, which name themselves in the JSON body
/// (`mobileServerKey`, `serverStatus`), never in `X-Backroom-*` headers.
struct MixedFleetProcessTests {
    static let servicePrefix = "/org.openbravo.mobile.core.service.jsonrest/org.openbravo.mobile.core.servercontroller."

    /// A call as the original's central makes it: body fields only, credentials in the query string.
    static func foreignCall(_ base: String, _ service: String, _ body: String) async throws -> (status: UInt, response: [String: String]) {
        var request = HTTPClientRequest(url: base + servicePrefix + service + "?authenticationClient=CENTRAL&authenticationToken=secret-of-the-suite")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body))
        let answer = try await ProcessHTTP.execute(request, timeout: .seconds(30))
        let bytes = try await answer.body.collect(upTo: 1 << 16)
        let json = try JSONSerialization.jsonObject(with: Data(buffer: bytes)) as? [String: Any]
        return (answer.status.code, json?["response"] as? [String: String] ?? [:])
    }

    static func registered(_ base: String, _ key: String) async throws -> [String: Any]? {
        let listed = try await StoreLinkProcessTests.json(.GET, "\(base)/api/v1/servers")
        return (listed.json["data"] as? [[String: Any]])?.first { $0["key"] as? String == key }
    }

    @Test func aForeignCentralProbesAndPingsAStoreProcess() async throws {
        try await TestDatabase.sqlite.withFresh { centralDatabase async throws in
            try await TestDatabase.sqlite.withFresh { storeDatabase async throws in
                let port = try await ServerStatusProcessTests.freePort()
                let added = try await BackroomProcess.run([
                    "server", "add", "NORTE", "--url", "http://127.0.0.1:\(port)", "--shop", "10010", "--database", centralDatabase.url,
                ])
                #expect(added.status == 0, "\(added.stderr)")
                let central = try BackroomProcess.start(["serve", "--demo", "--port", "0", "--database", centralDatabase.url])
                defer { central.signal(SIGKILL) }
                let centralBase = "http://127.0.0.1:\(try await central.listeningPort())"
                let store = try BackroomProcess.start([
                    "serve", "--role", "store", "--server-key", "NORTE", "--port", String(port), "--central-url", centralBase,
                    "--central-token", added.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "--database", storeDatabase.url,
                ])
                defer { store.signal(SIGKILL) }
                let storeBase = "http://127.0.0.1:\(try await store.listeningPort())"
                #expect(
                    try await StoreLinkProcessTests.eventually {
                        try await ServerStatusProcessTests.status(storeBase, of: "NORTE")["serverStatus"] == "ON"
                    }
                )

                let before = Int64(Date().timeIntervalSince1970 * 1000)
                let probe = try await Self.foreignCall(
                    storeBase,
                    "RetrieveMobileServerStatus",
                    #"{"serverKey": "NORTE", "mobileServerKey": "CENTRAL", "serverStatus": "TOFF"}"#
                )
                #expect(probe.status == 200)
                #expect(probe.response == ["serverKey": "NORTE", "serverStatus": "ON"])
                #expect(try await Self.registered(storeBase, "CENTRAL")?["status"] as? String == "TOFF", "the caller's status, from the body")

                let ping = try await Self.foreignCall(
                    storeBase,
                    "MobileServerStatusInformation",
                    #"{"mobileServerKey": "CENTRAL", "serverStatus": "TON", "organization": "0", "client": "0"}"#
                )
                #expect(ping.status == 200)
                #expect(ping.response == ["serverStatus": "ON"])
                let pinged = try #require(try await Self.registered(storeBase, "CENTRAL"))
                #expect(pinged["status"] as? String == "TON")
                let lastPing = try #require(pinged["lastPing"] as? String)
                let pingedAt = try #require(ISO8601DateFormatter().date(from: lastPing))
                #expect(Int64(pingedAt.timeIntervalSince1970 * 1000) >= before - 1000)
            }
        }
    }

    /// A store of the original suite: answers only the original's body shapes, reads no
    /// `X-Backroom-*` header, and notes who called it according to the body.
    final class ForeignStore: Sendable {
        let callers = Mutex<[String: [String]]>([:])

        var application: some ApplicationProtocol {
            let router = Router()
            let answers = [
                "RetrieveMobileServerStatus": #"{"response": {"serverKey": "SUR", "serverStatus": "TON"}}"#,
                // The original's ping answer may leave the status out: that counts as ON.
                "MobileServerStatusInformation": #"{"response": {}}"#,
            ]
            for (service, answer) in answers {
                router.post(RouterPath(MixedFleetProcessTests.servicePrefix + service)) { request, _ -> Response in
                    let body = try await request.body.collect(upTo: 1 << 16)
                    let fields = try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any] ?? [:]
                    let caller = "\(fields["mobileServerKey"] as? String ?? "?")/\(fields["serverStatus"] as? String ?? "?")"
                    self.callers.withLock { $0[service, default: []].append(caller) }
                    return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: answer)))
                }
            }
            return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aBackroomCentralProbesAndPingsAForeignStore(_ database: TestDatabase) async throws {
        let foreign = ForeignStore()
        try await foreign.application.test(.live) { foreignClient in
            let foreignURL = "http://127.0.0.1:\(try #require(foreignClient.port))"
            try await database.withFresh { fresh async throws in
                let added = try await BackroomProcess.run(["server", "add", "SUR", "--url", foreignURL, "--shop", "10010", "--database", fresh.url])
                #expect(added.status == 0, "\(added.stderr)")
                for (name, value) in [("OBMOBC_ServerStatusMaxAge", "0"), ("OBMOBC_Ping_Periodicity", "1")] {
                    let set = try await BackroomProcess.run(["preference", "set", name, value, "--database", fresh.url])
                    #expect(set.status == 0, "\(set.stderr)")
                }
                let central = try BackroomProcess.start(["serve", "--demo", "--port", "0", "--database", fresh.url])
                defer { central.signal(SIGKILL) }
                let base = "http://127.0.0.1:\(try await central.listeningPort())"

                // Asked for SUR's status, central asks SUR itself, the original's way. (A request
                // that meets a ping in flight shares its outcome instead: one call per key at a time.)
                #expect(
                    try await StoreLinkProcessTests.eventually {
                        try await ServerStatusProcessTests.status(base, of: "SUR") == ["serverKey": "SUR", "serverStatus": "TON"]
                    }
                )
                // Pinged every second: an answer without a status counts as ON.
                #expect(
                    try await StoreLinkProcessTests.eventually {
                        let sur = try await Self.registered(base, "SUR")
                        return sur?["status"] as? String == "ON" && sur?["lastPing"] is String
                    }
                )
                let callers = foreign.callers.withLock { $0 }
                #expect(callers["RetrieveMobileServerStatus"]?.allSatisfy { $0 == "CENTRAL/ON" } == true, "\(callers)")
                #expect(callers["MobileServerStatusInformation"]?.first == "CENTRAL/ON", "\(callers)")
            }
        }
    }
}
