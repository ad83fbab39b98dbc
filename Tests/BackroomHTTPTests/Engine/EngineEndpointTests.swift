import BackroomCore
import BackroomTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The engine and its connections in Backroom's own envelope: the same engine the agent shows.
struct EngineEndpointTests {
    static let tje0: HTTPFields = LiveServer.basic("tje0", "Tje0") + [.contentType: "application/json"]

    @Test(arguments: TestDatabase.allCases)
    func theEngineIsStoppedStartedAndAskedForARound(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, _ async throws in
            let stopped = try await client.call(.patch, "/api/v1/engine", body: #"{"running": false, "interval": 60}"#, headers: Self.tje0)
            let data = try #require(try stopped.json["data"] as? [String: Any])
            #expect(
                data["running"] as? Bool == false && data["interval"] as? Int == 60 && (data["message"] as? String)?.hasPrefix("Stopped.") == true
            )
            #expect(try await client.agent("GetEngineStatus").json["Interval"] as? String == "00:01:00", "the agent's engine")
            let round = try await client.call(.post, "/api/v1/engine/rounds", headers: Self.tje0)
            #expect((try round.json["data"] as? [String: Any]).flatMap { $0["lastRound"] as? [String: Any] }?["connections"] as? Int == 1)
            let bad = try await client.call(.patch, "/api/v1/engine", body: #"{"running": "yes", "interval": 0}"#, headers: Self.tje0)
            let badFields = try bad.errorFields
            #expect(bad.status == .badRequest && badFields == ["running", "interval"])
            #expect(try await client.call(.get, "/api/v1/engine", headers: LiveServer.basic("admin", "admin")).status == .ok)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func connectionsAreMadeChangedOrderedResyncedAndDeleted(_ database: TestDatabase) async throws {
        try await withErpFolder { folder in
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try await LiveServer.run(on: database) { client, storage async throws in
                let made = try await client.call(
                    .post,
                    "/api/v1/connections",
                    body: #"{"connectorId": 3, "name": "Books", "config": {"folder": "\#(folder.path)"}}"#,
                    headers: Self.tje0
                )
                #expect(made.status == .created)
                let id = try #require((try made.json["data"] as? [String: Any])?["id"] as? Int)
                #expect(made.headers[.location] == "/api/v1/connections/\(id)")
                let refused = try await client.call(
                    .post,
                    "/api/v1/connections",
                    body: #"{"connectorId": 3, "config": {"folder": "relative"}}"#,
                    headers: Self.tje0
                )
                let refusedFields = try refused.errorFields
                #expect(refused.status == .badRequest && refusedFields == ["config.folder"])
                #expect(try await client.call(.post, "/api/v1/connections", body: #"{"connectorId": 77}"#, headers: Self.tje0).status == .badRequest)

                let changed = try await client.call(
                    .patch,
                    "/api/v1/connections/\(id)",
                    body: #"{"name": "Ledger", "active": false}"#,
                    headers: Self.tje0
                )
                #expect((try changed.json["data"] as? [String: Any])?["name"] as? String == "Ledger")
                #expect(try await storage.syncConnection(id: Int64(id))?.active == false)
                let tested = try await client.call(.post, "/api/v1/connections/\(id)/test", headers: Self.tje0)
                #expect((try tested.json["data"] as? [String: Any])?["reachable"] as? Bool == true)
                let ordered = try await client.call(.put, "/api/v1/connections/priorities", body: "[\(id)]", headers: Self.tje0)
                #expect((try ordered.json["data"] as? [[String: Any]])?.first { $0["id"] as? Int == id }?["priority"] as? Int == 1)
                #expect(try await client.call(.put, "/api/v1/connections/priorities", body: "[999]", headers: Self.tje0).status == .badRequest)
                let resync = try await client.call(.post, "/api/v1/connections/\(id)/resync", body: "{}", headers: Self.tje0)
                #expect(
                    (try resync.json["data"] as? [String: Any])?["explanation"] as? String
                        == "Every movement will be written again to out/ in new files at the next visit."
                )

                #expect(try await client.call(.delete, "/api/v1/connections/\(id)", headers: Self.tje0).status == .noContent)
                let all = try await client.call(.get, "/api/v1/connections?includeDeleted=true", headers: Self.tje0)
                #expect((try all.json["data"] as? [[String: Any]])?.first { $0["id"] as? Int == id }?["deleted"] as? Bool == true)
                #expect(try await client.call(.get, "/api/v1/connections/999", headers: Self.tje0).status == .notFound)
                #expect(try await client.call(.get, "/api/v1/connections", headers: LiveServer.basic("admin", "admin")).status == .ok)
                let audit = try await client.call(.get, "/api/v1/audit", headers: LiveServer.basic("admin", "admin"))
                #expect(
                    try (audit.json["data"] as? [[String: Any]])?.compactMap { $0["action"] as? String }
                        == ["connection.delete", "connection.resync", "connection.priorities", "connection.change", "connection.create"]
                )
            }
        }
    }
}
