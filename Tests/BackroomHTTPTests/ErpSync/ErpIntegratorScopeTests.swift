import BackroomCore
import BackroomStorage
import BackroomTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// An ERP integrator (right `erpsync`, no shops) reaches only what the operator allowed
/// (issue 24, point 4): folders inside the ERP root, never through a symbolic link; no internal
/// address through an HTTP connector; no store link.
struct ErpIntegratorScopeTests {
    /// A folder outside the live servers' ERP root, removed afterwards.
    static func withOutsideFolder<Result>(_ body: (URL) async throws -> Result) async throws -> Result {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("backroom-erp-outside-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        return try await body(folder)
    }

    @Test(arguments: TestDatabase.allCases)
    func aFolderOutsideTheRootOrReachedThroughALinkIsRefused(_ database: TestDatabase) async throws {
        try await Self.withOutsideFolder { outside in
            try await withErpFolder { inside in
                try FileManager.default.createDirectory(at: inside, withIntermediateDirectories: true)
                let link = inside.appendingPathComponent("shortcut")
                try FileManager.default.createSymbolicLink(at: link, withDestinationURL: outside)
                try await LiveServer.run(on: database) { client, storage async throws in
                    _ = try await client.agentList("GetAllConnections")
                    let before = try await storage.syncConnections(includeDeleted: true).count
                    for folder in [outside.path, link.path, inside.path + "/../../" + outside.lastPathComponent] {
                        let refused = try await ErpSyncConnectionTests.save(
                            client,
                            #"{"ErpConnectionId": 0, "ErpConnectorId": 3, "ConfigFields": {"folder": "\#(folder)"}}"#
                        )
                        let message = try refused.expectAgentError(.badRequest, type: "ArgumentException")
                        #expect(message.contains("is not inside the ERP root"), "\(folder): \(message)")
                        let tried = try await client.agent(
                            "TestConnectionByConfig",
                            #"{"ErpConnectionId": 0, "ConfigFields": {"folder": "\#(folder)"}}"#
                        )
                        #expect(tried.text == "false")
                    }
                    #expect(try await storage.syncConnections(includeDeleted: true).count == before, "nothing saved")
                    #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path).isEmpty, "nothing made there")
                }
            }
        }
    }

    /// A folder inside the root whose parts lead elsewhere: nothing there is read, moved or shown.
    @Test func linksInsideTheFolderAreNeverFollowed() async throws {
        try await Self.withOutsideFolder { outside in
            try await withErpFolder { folder in
                let secret = outside.appendingPathComponent("secret.csv")
                try Data("shop,id,counted\n10010,First-Test,1\n".utf8).write(to: secret)
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                try await LiveServer.run(on: .sqlite) { client, storage async throws in
                    let made = try await ErpSyncConnectionTests.save(
                        client,
                        #"{"ErpConnectionId": 0, "ErpConnectorId": 3, "ConfigFields": {"folder": "\#(folder.path)"}}"#
                    )
                    let id = try #require(try made.json["ErpConnectionId"] as? Int)
                    _ = try await client.agent("ForceSyncAll")
                    // A file in in/ that is a link to a file elsewhere, and an .err in failed/ that is one.
                    try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent("in/stock.csv"), withDestinationURL: secret)
                    try Data("x".utf8).write(to: folder.appendingPathComponent("failed/old.csv"))
                    try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent("failed/old.csv.err"), withDestinationURL: secret)
                    _ = try await client.agent("ForceSyncAll")
                    #expect(try await storage.stockLevel(shop: 10010, product: "First-Test")?.onHand == 100, "the linked file was not imported")
                    #expect(FileManager.default.fileExists(atPath: secret.path), "nor moved away from where it is")
                    let files = try await client.call(.get, "/api/v1/erp/\(id)/files", headers: LiveServer.basic("admin", "admin"))
                    #expect(files.status == .ok)
                    #expect(!files.text.contains("First-Test"), "no line of the linked file is shown")
                    #expect(!files.text.contains("stock.csv"), "a link is not listed as a waiting file")

                    // failed/ itself a link elsewhere: the visit refuses the folder, nothing is moved there.
                    try FileManager.default.removeItem(at: folder.appendingPathComponent("failed"))
                    try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent("failed"), withDestinationURL: outside)
                    try Data("not,a,header\n".utf8).write(to: folder.appendingPathComponent("in/bad.csv"))
                    _ = try await client.agent("ForceSyncAll")
                    #expect(Set(try FileManager.default.contentsOfDirectory(atPath: outside.path)) == ["secret.csv"])
                }
            }
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func internalAddressesAreRefusedUnlessTheOperatorAllowsThem(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database, connectorAllow: .none) { client, storage async throws in
            let own = try #require(client.port)
            for url in [
                "http://127.0.0.1:\(own)/erp", "http://localhost:\(own)/", "http://169.254.169.254/latest/meta-data", "http://[::1]:9/",
                "http://0.0.0.0:9/",
            ] {
                let made = try await client.agent("SaveErpSyncConnectorEntity", #"{"ErpConnectorId": 0, "DisplayName": "X", "URL": "\#(url)"}"#)
                let message = try made.expectAgentError(.badRequest, type: "ArgumentException")
                #expect(message.contains("internal address") && message.contains("--connector-allow"), "\(url): \(message)")
                // The same word for the server's own open port as for a closed one: no port scanner.
                #expect(try await client.agent("TestConnectorUrl", #"{"Url": "\#(url)"}"#).text == #""ErrorNotFound""#, "\(url)")
            }
            #expect(try await storage.connectorEntities(includeDeleted: true).isEmpty)
        }
        try await LiveServer.run(on: database, connectorAllow: try ConnectorAllowList(parsing: ["127.0.0.1"])) { client, _ async throws in
            let own = try #require(client.port)
            #expect(try await client.agent("TestConnectorUrl", #"{"Url": "http://127.0.0.1:\#(own)/health"}"#).text == #""NoError""#, "allowed")
            #expect(try await client.agent("TestConnectorUrl", #"{"Url": "http://127.0.0.1:9/"}"#).text == #""ErrorNotFound""#, "closed")
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aStoreLinkIsChangedOnlyByAnAdmin(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, storage async throws in
            let listed = try await client.agentList("GetAllConnections", #"{"IncludeDeleted": false}"#)
            let link = try #require(listed.first { $0["ErpConnectorId"] as? Int == 1 }?["ErpConnectionId"] as? Int)
            let admin = LiveServer.basic("admin", "admin") + [.contentType: "application/json"]
            let repoint = #"{"ErpConnectionId": \#(link), "ConfigFields": {"serverKey": "VALLBLANCA", "url": "http://127.0.0.1:9"}}"#
            for (method, body) in [
                ("SaveConnection", #"{"Connection": \#(repoint)}"#), ("ToggleErpConnectionActive", #"{"ErpConnectionId": \#(link)}"#),
                ("DeleteConnection", #"{"ErpConnectionId": \#(link)}"#),
                ("SaveConnection", #"{"Connection": {"ErpConnectionId": 0, "ErpConnectorId": 1, "ConfigFields": {"serverKey": "VALLBLANCA"}}}"#),
            ] {
                let refused = try await client.agent(method, body)
                #expect(try refused.expectAgentError(.forbidden, type: "SoSecurityException") == "User tje0 lacks the right admin.")
            }
            let unchanged = try #require(try await storage.syncConnection(id: Int64(link)))
            #expect(unchanged.active && !unchanged.deleted && unchanged.config["url"] == "http://127.0.0.1:8081")
            #expect(try await client.agent("GetConnection", #"{"ErpConnectionId": \#(link)}"#).status == .ok, "looking is allowed")
            let byAdmin = try await client.agent("SaveConnection", #"{"Connection": \#(repoint)}"#, headers: admin)
            #expect(byAdmin.status == .ok)
            #expect(try await storage.syncConnection(id: Int64(link))?.config["url"] == "http://127.0.0.1:9")
        }
    }
}
