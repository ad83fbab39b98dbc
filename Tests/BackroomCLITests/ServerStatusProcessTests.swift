import AsyncHTTPClient
import BackroomTestSupport
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOPosix
import Testing

/// The status service between real `backroom serve` processes: central learns a store's status
/// from its sync requests, keeps it for the maximum age, asks the store itself after that, and
/// notices when the store is killed.
struct ServerStatusProcessTests {
    static let originalPath =
        "/org.openbravo.mobile.core.service.jsonrest/org.openbravo.mobile.core.servercontroller.RetrieveMobileServerStatus"

    static func status(_ base: String, of key: String) async throws -> [String: String] {
        var request = HTTPClientRequest(url: base + originalPath)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: #"{"serverKey": "\#(key)"}"#))
        let response = try await ProcessHTTP.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 16)
        let json = try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]
        return json?["response"] as? [String: String] ?? [:]
    }

    /// A port nothing listens on now, for a server that must be registered before it starts.
    /// It is taken below the kernel's ephemeral range (32768 and up here), so that no server
    /// started with port 0 and no outgoing connection of a test running beside this one can be
    /// given it before the server binds it.
    static func freePort() async throws -> Int {
        for _ in 0..<100 {
            let port = Int.random(in: 20_000..<32_000)
            if let channel = try? await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: port).get() {
                try await channel.close()
                return port
            }
        }
        throw NoFreePort()
    }

    struct NoFreePort: Error {}

    @Test(arguments: TestDatabase.allCases)
    func centralAnswersAStoresStatusFromTheRegistryThenByAskingItAndSeesItGo(_ database: TestDatabase) async throws {
        try await database.withFresh { fresh async throws in
            try await TestDatabase.sqlite.withFresh { storeDatabase async throws in
                let port = try await Self.freePort()
                let storeURL = "http://127.0.0.1:\(port)"
                let added = try await BackroomProcess.run(["server", "add", "NORTE", "--url", storeURL, "--shop", "10010", "--database", fresh.url])
                #expect(added.status == 0, "\(added.stderr)")
                let token = added.stdout.trimmingCharacters(in: .whitespacesAndNewlines)

                let central = try BackroomProcess.start(["serve", "--demo", "--port", "0", "--database", fresh.url])
                defer { central.signal(SIGKILL) }
                let base = "http://127.0.0.1:\(try await central.listeningPort())"
                let storeArguments = [
                    "serve", "--role", "store", "--server-key", "NORTE", "--port", String(port), "--central-url", base,
                    "--central-token", token, "--database", storeDatabase.url,
                ]
                var store = try BackroomProcess.start(storeArguments)
                defer { store.signal(SIGKILL) }
                _ = try await store.listeningPort()
                #expect(try await StoreLinkProcessTests.eventually { try await Self.status(base, of: "NORTE")["serverStatus"] == "ON" })

                store.signal(SIGKILL)
                _ = await store.waitForExit()
                #expect(
                    try await Self.status(base, of: "NORTE") == ["serverKey": "NORTE", "serverStatus": "ON"],
                    "within the maximum age: as stored"
                )

                let set = try await BackroomProcess.run(["preference", "set", "OBMOBC_ServerStatusMaxAge", "0", "--database", fresh.url])
                #expect(set.status == 0, "\(set.stderr)")
                let gone = try await Self.status(base, of: "NORTE")
                #expect(gone["serverStatus"] == "OFF")
                #expect(gone["error"] == "NORTE at \(storeURL): connection refused")

                store = try BackroomProcess.start(storeArguments)
                _ = try await store.listeningPort()
                #expect(
                    try await StoreLinkProcessTests.eventually { try await Self.status(base, of: "NORTE")["serverStatus"] == "ON" },
                    "asked again"
                )
            }
        }
    }
}
