import AsyncHTTPClient
import BackroomTestSupport
import Foundation
import NIOCore
import NIOFoundationCompat
import Testing

/// The status service between real `backroom serve` processes: central asks another server,
/// keeps the answer for the maximum age, and notices when that server is killed.
struct ServerStatusProcessTests {
    static let originalPath =
        "/org.openbravo.mobile.core.service.jsonrest/org.openbravo.mobile.core.servercontroller.RetrieveMobileServerStatus"

    static func status(_ base: String, of key: String) async throws -> [String: String] {
        var request = HTTPClientRequest(url: base + originalPath)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: #"{"serverKey": "\#(key)"}"#))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 16)
        let json = try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]
        return json?["response"] as? [String: String] ?? [:]
    }

    @Test(arguments: TestDatabase.allCases)
    func centralAsksAServerOnceWithinTheMaximumAgeAndSeesItGo(_ database: TestDatabase) async throws {
        try await database.withFresh { fresh async throws in
            try await TestDatabase.sqlite.withFresh { other async throws in
                let norte = try BackroomProcess.start(["serve", "--server-key", "NORTE", "--port", "0", "--database", other.url])
                defer { norte.signal(SIGKILL) }
                let norteURL = "http://127.0.0.1:\(try await norte.listeningPort())"
                let added = try await BackroomProcess.run(["server", "add", "NORTE", "--url", norteURL, "--database", fresh.url])
                #expect(added.status == 0, "\(added.stderr)")

                let central = try BackroomProcess.start(["serve", "--demo", "--port", "0", "--database", fresh.url])
                defer { central.signal(SIGKILL) }
                let base = "http://127.0.0.1:\(try await central.listeningPort())"

                #expect(try await Self.status(base, of: "NORTE") == ["serverKey": "NORTE", "serverStatus": "ON"])

                norte.signal(SIGKILL)
                _ = await norte.waitForExit()
                #expect(try await Self.status(base, of: "NORTE")["serverStatus"] == "ON", "within the maximum age: as stored")

                let set = try await BackroomProcess.run(["preference", "set", "OBMOBC_ServerStatusMaxAge", "0", "--database", fresh.url])
                #expect(set.status == 0, "\(set.stderr)")
                let gone = try await Self.status(base, of: "NORTE")
                #expect(gone["serverStatus"] == "OFF")
                #expect(gone["error"] == "NORTE at \(norteURL): connection refused")
            }
        }
    }
}
