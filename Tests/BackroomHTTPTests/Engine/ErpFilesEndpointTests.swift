import BackroomCore
import BackroomTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// An ERP folder as operators see it: waiting, imported, refused with the reason, exported.
struct ErpFilesEndpointTests {
    @Test(arguments: TestDatabase.allCases)
    func theFolderShowsItsFilesRefusalsAndTheExportPosition(_ database: TestDatabase) async throws {
        try await withErpFolder { folder in
            try FileManager.default.createDirectory(at: folder.appendingPathComponent("in"), withIntermediateDirectories: true)
            try Data("shop,id,qty\n10010,First-Test,5\n".utf8).write(to: folder.appendingPathComponent("in/receipts.csv"))
            try Data("shop,id,qty\n99999,First-Test,5\n".utf8).write(to: folder.appendingPathComponent("in/wrong.csv"))
            try await LiveServer.run(on: database) { client, _ async throws in
                let made = try await client.call(
                    .post,
                    "/api/v1/connections",
                    body: #"{"connectorId": 3, "config": {"folder": "\#(folder.path)"}}"#,
                    headers: EngineEndpointTests.tje0
                )
                let id = try #require((try made.json["data"] as? [String: Any])?["id"] as? Int)
                _ = try await client.call(.post, "/api/v1/engine/rounds", headers: EngineEndpointTests.tje0)
                let listed = try await client.call(.get, "/api/v1/erp/\(id)/files", headers: EngineEndpointTests.tje0)
                let data = try #require(try listed.json["data"] as? [String: Any])
                #expect((data["in"] as? [[String: Any]])?.isEmpty == true)
                #expect((data["done"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["receipts.csv"])
                let failed = try #require((data["failed"] as? [[String: Any]])?.first)
                #expect(failed["name"] as? String == "wrong.csv" && (failed["error"] as? String)?.contains("99999") == true)
                #expect((data["out"] as? [[String: Any]])?.isEmpty == false)
                #expect((data["export"] as? [String: Any])?["files"] as? Int == (data["out"] as? [[String: Any]])?.count)
                #expect(try await client.call(.get, "/api/v1/erp/999/files", headers: EngineEndpointTests.tje0).status == .notFound)
            }
        }
    }
}
