import BackroomCore
import BackroomTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Changes made through the admin API and the agent are in the audit log: who, when, what, from
/// where, secrets left out; only admins read it, a page at a time.
struct AuditLogTests {
    static func audit(
        _ client: any TestClientProtocol,
        _ query: String = "",
        user: String = "admin",
        password: String = "admin"
    ) async throws -> TestResponse {
        try await client.call(.get, "/api/v1/audit\(query)", headers: LiveServer.basic(user, password))
    }

    @Test(arguments: TestDatabase.allCases)
    func changesAreLoggedWithTheirAuthorAndAddressAndNoSecret(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, _ async throws in
            let preference = try await client.call(
                .put,
                "/api/v1/preferences/OBMOBC_NumberOfRequestRetries",
                body: #"{"value": 2}"#,
                headers: LiveServer.basic("admin", "admin") + [.contentType: "application/json"]
            )
            #expect(preference.status == .ok)
            _ = try await client.agent("SaveErpSyncConnectorEntity", #"{"ErpConnectorId": 0, "DisplayName": "NAV", "URL": "http://127.0.0.1:9/in"}"#)
            let secret = "token-\(UUID().uuidString)"
            let saved = try await client.agent(
                "SaveConnection",
                #"{"Connection": {"ErpConnectionId": 0, "ErpConnectorId": 101, "ConfigFields": {"token": "\#(secret)"}}}"#
            )
            #expect(saved.status == .ok)
            _ = try await client.agent("GetEngineStatus")

            let answer = try await Self.audit(client)
            #expect(answer.status == .ok)
            #expect(!answer.text.contains(secret), "no secret in the log")
            let entries = try #require(try answer.json["data"] as? [[String: Any]])
            #expect(
                entries.map { $0["action"] as? String } == ["erpsync.SaveConnection", "erpsync.SaveErpSyncConnectorEntity", "preference.set"],
                "newest first, reads not logged"
            )
            let connection = entries[0]
            #expect(connection["actor"] as? String == "tje0" && connection["channel"] as? String == "agent")
            #expect(connection["origin"] as? String == "127.0.0.1" && connection["target"] as? String == "connection 0")
            #expect(
                ((connection["detail"] as? [String: Any])?["Connection"] as? [String: Any]).flatMap { $0["ConfigFields"] as? [String: String] } == [
                    "token": "***"
                ]
            )
            #expect((connection["at"] as? String)?.hasSuffix("Z") == true)
            #expect(entries[2]["actor"] as? String == "admin" && (entries[2]["detail"] as? [String: String]) == ["value": "2"])
            #expect(try answer.json.keys.contains("next") && answer.json["next"] is NSNull, "one page holds them all")
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func theLogIsReadAPageAtATimeByAdminsOnly(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, _ async throws in
            for interval in ["00:01:00", "00:02:00", "00:03:00"] {
                #expect(try await client.agent("ChangeEngineInterval", #"{"Interval": "\#(interval)"}"#).status == .noContent)
            }
            let first = try await Self.audit(client, "?limit=2").json
            let next = try #require(first["next"] as? String)
            #expect((first["data"] as? [[String: Any]])?.compactMap { ($0["detail"] as? [String: String])?["Interval"] } == ["00:03:00", "00:02:00"])
            let second = try await Self.audit(client, "?limit=2&after=\(next)").json
            #expect((second["data"] as? [[String: Any]])?.compactMap { ($0["detail"] as? [String: String])?["Interval"] } == ["00:01:00"])
            #expect(second["next"] is NSNull)

            let refused = try await Self.audit(client, user: "tje0", password: "Tje0")
            #expect(refused.status == .forbidden)
            for (query, field) in [("?limit=0", "limit"), ("?limit=501", "limit"), ("?limit=x", "limit"), ("?after=abc", "after")] {
                let bad = try await Self.audit(client, query)
                #expect(bad.status == .badRequest, "\(query)")
                #expect(((try bad.json["errors"] as? [[String: Any]])?.first?["sourceField"] as? String) == field, "\(query)")
            }
        }
    }
}
