import BackroomCore
import BackroomStorage
import BackroomTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The agent's connection methods over a real socket: made, changed, tested, ordered,
/// summarised, deleted and resynced, bad settings refused with nothing saved.
struct ErpSyncConnectionTests {
    static func save(_ client: any TestClientProtocol, _ connection: String, headers: HTTPFields = LiveServer.tje0JSON()) async throws -> TestResponse
    {
        try await client.agent("SaveConnection", #"{"Connection": \#(connection)}"#, headers: headers)
    }

    static func made(_ folder: URL, _ names: String...) throws -> [URL] {
        try names.map { name in
            let url = folder.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            return url
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aConnectionIsMadeChangedTestedAndDeleted(_ database: TestDatabase) async throws {
        try await withErpFolder { root in
            let folders = try Self.made(root, "a", "b")
            try await LiveServer.run(on: database) { client, storage async throws in
                let made = try await Self.save(
                    client,
                    #"{"ErpConnectionId": 0, "ErpConnectorId": 3, "DisplayName": "Books", "ConfigFields": {"folder": "\#(folders[0].path)"}}"#
                )
                #expect(made.status == .ok)
                let connection = try made.json
                let id = try #require(connection["ErpConnectionId"] as? Int)
                #expect(id > 0 && connection["ErpConnectorId"] as? Int == 3 && connection["DisplayName"] as? String == "Books")
                #expect(connection["Active"] as? Bool == true && connection["Deleted"] as? Bool == false)
                #expect((connection["ConnectionId"] as? String)?.count == 36)
                #expect(connection["MostRecentTimestamp"] as? String == "")
                #expect(connection["ConfigFields"] as? [String: String] == ["folder": folders[0].path])

                // Changed: the settings, the name and whether it is active, read back as stored.
                let changed = try await Self.save(
                    client,
                    #"{"ErpConnectionId": \#(id), "DisplayName": "Ledger", "Active": false, "ConfigFields": {"folder": "\#(folders[1].path)"}}"#
                )
                #expect(try changed.json["DisplayName"] as? String == "Ledger" && changed.json["Active"] as? Bool == false)
                let settings = try await client.agent("GetErpConnectionConfigFields", #"{"ErpConnectionId": \#(id)}"#)
                #expect(try settings.json as? [String: String] == ["folder": folders[1].path])
                #expect(try await storage.syncConnection(id: Int64(id))?.config == ["folder": folders[1].path])

                // Tried with other settings: nothing is saved.
                let tried = try await client.agent(
                    "TestConnectionByConfig",
                    #"{"ErpConnectionId": \#(id), "ConfigFields": {"folder": "\#(folders[0].path)"}}"#
                )
                #expect(tried.text == "true")
                let nowhere = try await client.agent(
                    "TestConnectionByConfig",
                    #"{"ErpConnectionId": \#(id), "ConfigFields": {"folder": "/proc/backroom-none"}}"#
                )
                #expect(nowhere.text == "false")
                #expect(try await client.agent("TestConnectionByConfig", #"{"ErpConnectionId": 999, "ConfigFields": {}}"#).text == "false")
                #expect(try await storage.syncConnection(id: Int64(id))?.config == ["folder": folders[1].path])

                // What it is and what it moves.
                let summary = try await client.agent("GetErpSyncConnectionSummary", #"{"ErpSyncConnectionId": \#(id)}"#).json
                #expect(summary["DisplayName"] as? String == "Ledger" && summary["Active"] as? Bool == false)
                // The engine's first round may have visited it before it was made inactive.
                let lastSync = try #require(summary["LastSync"] as? String)
                #expect(lastSync.isEmpty || lastSync.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/) != nil, "\(lastSync)")
                #expect((summary["Actors"] as? [[String: Any]])?.compactMap { $0["ActorType"] as? String } == ["Product", "StockLevel", "Movement"])
                #expect(try await client.agent("GetErpSyncConnectionSummary", #"{"ErpSyncConnectionId": 999}"#).text == "null")

                // Not found is an answer; deleted, it stays listed only when asked for.
                #expect(try await Self.save(client, #"{"ErpConnectionId": 999, "DisplayName": "X"}"#).text == "null")
                let deleted = try await client.agent("DeleteConnection", #"{"ErpConnectionId": \#(id)}"#)
                #expect(deleted.status == .noContent && deleted.body.readableBytes == 0)
                #expect(
                    try await client.agentList("GetAllConnections", #"{"IncludeDeleted": false}"#).allSatisfy { $0["ErpConnectionId"] as? Int != id }
                )
                let everything = try await client.agentList("GetAllConnections", #"{"IncludeDeleted": true}"#)
                #expect(everything.first { $0["ErpConnectionId"] as? Int == id }?["Deleted"] as? Bool == true)
                #expect(
                    try await Self.save(client, #"{"ErpConnectionId": \#(id), "DisplayName": "Again"}"#).text == "null",
                    "a deleted connection is not changed"
                )

                // A resync of it is not done, and says why; of no connection at all, null.
                let resync = try await client.agent("ForceResync", #"{"ErpConnectionId": \#(id), "InternalKeyIds": []}"#).json
                #expect(resync["IsOk"] as? Bool == false && resync["Status"] as? String == "Error")
                #expect(resync["UserExplanation"] as? String == "Connection \(id) is deleted and is no longer synced.")
                #expect(try await client.agent("ForceResync", #"{"ErpConnectionId": 999}"#).text == "null")
            }
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func badSettingsAreRefusedNamingTheFieldAndNothingIsSaved(_ database: TestDatabase) async throws {
        try await withErpFolder { root in
            let folder = try Self.made(root, "erp")[0]
            try await LiveServer.run(on: database) { client, storage async throws in
                _ = try await client.agentList("GetAllConnections")
                let before = try await storage.syncConnections(includeDeleted: true).count
                let refusals: [(String, String)] = [
                    (#"{"ErpConnectionId": 0, "ErpConnectorId": 3, "ConfigFields": {}}"#, "folder is required."),
                    (
                        #"{"ErpConnectionId": 0, "ErpConnectorId": 3, "ConfigFields": {"folder": "/proc/backroom-none"}}"#,
                        "folder: /proc/backroom-none is not an existing folder."
                    ),
                    (
                        #"{"ErpConnectionId": 0, "ErpConnectorId": 3, "ConfigFields": {"folder": "relative/erp"}}"#,
                        "folder: must be an absolute path."
                    ),
                    (
                        #"{"ErpConnectionId": 0, "ErpConnectorId": 3, "ConfigFields": {"folder": "/proc"}}"#,
                        "folder: /proc is not inside the ERP root \(LiveServer.erpRoot.path!)."
                    ),
                    (
                        #"{"ErpConnectionId": 0, "ErpConnectorId": 3, "ConfigFields": {"folder": "\#(folder.path)", "colour": "red"}}"#,
                        "colour is not a setting of this connector."
                    ),
                    (#"{"ErpConnectionId": 0, "ErpConnectorId": 77, "ConfigFields": {"folder": "\#(folder.path)"}}"#, "There is no connector 77."),
                    (#"{"ErpConnectionId": 0, "ErpConnectorId": 2}"#, "There is no connector 2."),
                    (
                        #"{"ErpConnectionId": 0, "ErpConnectorId": 1, "ConfigFields": {"serverKey": "NOBODY"}}"#,
                        "serverKey: NOBODY is not a registered store server."
                    ),
                    (
                        #"{"ErpConnectionId": 0, "ErpConnectorId": 1, "ConfigFields": {"serverKey": "VALLBLANCA", "url": "ftp://x"}}"#,
                        "url must be an http or https URL."
                    ),
                    (#""not an object""#, "Connection must be an object."),
                ]
                for (body, message) in refusals {
                    // Store links are an admin's to change (issue 24, point 4).
                    let headers =
                        body.contains(#""ErpConnectorId": 1"#) || body.contains(#""ErpConnectorId": 2"#)
                        ? LiveServer.basic("admin", "admin") + [.contentType: "application/json"] : LiveServer.tje0JSON()
                    let answer = try await Self.save(client, body, headers: headers)
                    #expect(try answer.expectAgentError(.badRequest, type: "ArgumentException") == message, "\(body)")
                }
                #expect(try await storage.syncConnections(includeDeleted: true).count == before, "nothing saved")
                // An existing connection keeps its settings when new ones are refused.
                let made = try await Self.save(client, #"{"ErpConnectionId": 0, "ErpConnectorId": 3, "ConfigFields": {"folder": "\#(folder.path)"}}"#)
                    .json
                let id = try #require(made["ErpConnectionId"] as? Int)
                let refused = try await Self.save(client, #"{"ErpConnectionId": \#(id), "ConfigFields": {"folder": "/proc/backroom-none"}}"#)
                _ = try refused.expectAgentError(.badRequest, type: "ArgumentException")
                let moved = try await Self.save(client, #"{"ErpConnectionId": \#(id), "ErpConnectorId": 101}"#)
                #expect(
                    try moved.expectAgentError(.badRequest, type: "ArgumentException") == "ErpConnectorId of an existing connection cannot change."
                )
                #expect(try await storage.syncConnection(id: Int64(id))?.config == ["folder": folder.path])
            }
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func xmlAndFormBodiesMakeConnectionsToo(_ database: TestDatabase) async throws {
        try await withErpFolder { root in
            let folders = try Self.made(root, "xml", "form")
            try await LiveServer.run(on: database) { client, _ async throws in
                let xml = """
                    <SaveConnectionRequest><Connection><ErpConnectionId>0</ErpConnectionId><ErpConnectorId>3</ErpConnectorId>\
                    <DisplayName>XML</DisplayName><ConfigFields><folder>\(folders[0].path)</folder></ConfigFields></Connection></SaveConnectionRequest>
                    """
                let byXML = try await client.agent(
                    "SaveConnection",
                    xml,
                    headers: LiveServer.basic("tje0", "Tje0") + [.contentType: "application/xml"]
                )
                #expect(byXML.status == .ok)
                #expect(try byXML.json["ConfigFields"] as? [String: String] == ["folder": folders[0].path])
                let form =
                    "Connection.ErpConnectionId=0&Connection.ErpConnectorId=3&Connection.DisplayName=Form&Connection.ConfigFields.folder="
                    + (folders[1].path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
                let byForm = try await client.agent(
                    "SaveConnection",
                    form,
                    headers: LiveServer.basic("tje0", "Tje0") + [.contentType: "application/x-www-form-urlencoded"]
                )
                #expect(byForm.status == .ok)
                #expect(try byForm.json["DisplayName"] as? String == "Form")
                #expect(try byForm.json["ConfigFields"] as? [String: String] == ["folder": folders[1].path])
            }
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func prioritiesOrderTheRoundAndTheStatusSaysSo(_ database: TestDatabase) async throws {
        try await withErpFolder { root in
            let folders = try Self.made(root, "one", "two")
            try await LiveServer.run(on: database) { client, _ async throws in
                var ids: [Int] = []
                for (index, folder) in folders.enumerated() {
                    let made = try await Self.save(
                        client,
                        #"{"ErpConnectionId": 0, "ErpConnectorId": 3, "DisplayName": "ERP\#(index + 1)", "ConfigFields": {"folder": "\#(folder.path)"}}"#
                    )
                    ids.append(try #require(try made.json["ErpConnectionId"] as? Int))
                }
                let store = try #require(
                    try await client.agentList("GetAllConnections").first { $0["DisplayName"] as? String == "VALLBLANCA" }?["ErpConnectionId"] as? Int
                )
                #expect(try await client.agent("SaveErpConnectionSyncPriorities", #"{"ErpConnectionIds": [\#(ids[1]), \#(store)]}"#).text == "true")
                #expect(
                    try await client.agent("SaveErpConnectionSyncPriorities", #"{"ErpConnectionIds": [\#(ids[0]), 999]}"#).text == "false",
                    "an id of no connection"
                )
                _ = try await client.agent("ForceSyncAll")
                var message = try #require(try await client.agent("GetEngineStatus").json["StatusMessage"] as? String)
                #expect(message.hasSuffix("Visited in priority order: ERP2, VALLBLANCA, ERP1."), "\(message)")

                // The same order by XML (`<int>` items) and by form (comma-separated).
                let xml =
                    "<SaveErpConnectionSyncPriorities><ErpConnectionIds><int>\(ids[0])</int><int>\(ids[1])</int></ErpConnectionIds></SaveErpConnectionSyncPriorities>"
                #expect(
                    try await client.agent(
                        "SaveErpConnectionSyncPriorities",
                        xml,
                        headers: LiveServer.basic("tje0", "Tje0") + [.contentType: "text/xml"]
                    ).text == "true"
                )
                _ = try await client.agent("ForceSyncAll")
                message = try #require(try await client.agent("GetEngineStatus").json["StatusMessage"] as? String)
                #expect(message.hasSuffix("Visited in priority order: ERP1, ERP2, VALLBLANCA."), "\(message)")
                let form = "ErpConnectionIds=\(store)"
                #expect(
                    try await client.agent(
                        "SaveErpConnectionSyncPriorities",
                        form,
                        headers: LiveServer.basic("tje0", "Tje0") + [.contentType: "application/x-www-form-urlencoded"]
                    ).text == "true"
                )
                _ = try await client.agent("ForceSyncAll")
                message = try #require(try await client.agent("GetEngineStatus").json["StatusMessage"] as? String)
                #expect(message.hasSuffix("Visited in priority order: VALLBLANCA, ERP1, ERP2."), "\(message)")
                let wrong = try await client.agent("SaveErpConnectionSyncPriorities", #"{"ErpConnectionIds": ["x"]}"#)
                #expect(try wrong.expectAgentError(.badRequest, type: "ArgumentException") == "ErpConnectionIds must be a whole number.")
            }
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aResyncWritesEveryMovementAgainInNewFiles(_ database: TestDatabase) async throws {
        try await withErpFolder { root in
            let folder = try Self.made(root, "erp")[0]
            try await LiveServer.run(on: database) { client, storage async throws in
                let made = try await Self.save(client, #"{"ErpConnectionId": 0, "ErpConnectorId": 3, "ConfigFields": {"folder": "\#(folder.path)"}}"#)
                    .json
                let id = try #require(made["ErpConnectionId"] as? Int)
                _ = try await client.agent("ForceSyncAll")
                let first = try Self.lines(folder)
                #expect(!first.isEmpty)
                let all = try await client.agent("ForceResync", #"{"ErpConnectionId": \#(id), "InternalKeyIds": []}"#).json
                #expect(all["IsOk"] as? Bool == true && all["Status"] as? String == "Ok")
                #expect(all["UserExplanation"] as? String == "Every movement will be written again to out/ in new files at the next visit.")
                _ = try await client.agent("ForceSyncAll")
                let again = try Self.lines(folder)
                #expect(again == first + first, "each movement once more, in new files after the first ones")

                let some = try await client.agent("ForceResync", #"{"ErpConnectionId": \#(id), "InternalKeyIds": [1, 2]}"#).json
                #expect(some["UserExplanation"] as? String == "2 movement(s) will be written again to out/ in a new file at the next visit.")
                _ = try await client.agent("ForceSyncAll")
                let picked = try await storage.movements(ids: [1, 2]).map { "\($0.origin.value):\($0.sequence)" }
                #expect(try Self.lines(folder) == again + picked)
            }
        }
    }

    /// Every line in `out/`, as `ORIGIN:SEQUENCE`, file by file.
    static func lines(_ folder: URL) throws -> [String] {
        let out = folder.appendingPathComponent("out")
        return try FileManager.default.contentsOfDirectory(atPath: out.path).filter { !$0.hasPrefix(".") }.sorted().flatMap { name in
            try String(contentsOf: out.appendingPathComponent(name), encoding: .utf8).split(separator: "\n").map { line in
                let movement = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
                return "\(movement["origin"] ?? ""):\(movement["sequence"] ?? "")"
            }
        }
    }
}
