import BackroomCore
import BackroomStorage
import BackroomTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Every method of the agent over a real socket (sync-engine.md, "ErpSync agent API").
struct ErpSyncEndpointTests {
    static func erpConnection(_ storage: any BackroomStorage, folder: URL) async throws -> SyncConnection {
        try await storage.addSyncConnection(
            NewSyncConnection(kind: .erpFiles, connectorId: 3, name: "ERP", uuid: UUID().uuidString.lowercased(), config: ["folder": folder.path])
        )
    }

    @Test(arguments: TestDatabase.allCases)
    func theSeedsSampleRequestIsAnsweredInSwedish(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, _ async throws in
            let response = try await client.agent(
                "GetEngineStatus",
                headers: [
                    .authorization: "Basic dGplMDpUamUw", .accept: "application/json; charset=utf-8", .acceptLanguage: "sv",
                ]
            )
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json; charset=utf-8")
            #expect(response.headers[.contentLanguage] == "sv")
            #expect(response.text.hasPrefix(#"{"TableRight":{"Mask":"FULL","Reason":""},"FieldProperties":{"IsRunning":"#), "carrier members first")
            #expect(response.text.contains(#"}},"IsRunning":true,"StatusMessage":"#), "then the properties in the documented order")
            let json = try response.json
            #expect(json["Interval"] as? String == "00:05:00")
            let message = try #require(json["StatusMessage"] as? String)
            #expect(message.hasPrefix("Igång") || message.hasPrefix("Vilande") || message.hasPrefix("Synkar"), "\(message)")
            #expect((json["TableRight"] as? [String: Any])?["Mask"] as? String == "FULL")
            let fields = try #require(json["FieldProperties"] as? [String: [String: Any]])
            #expect(fields["IsRunning"]?["FieldType"] as? String == "System.Boolean")
            #expect(fields["StatusMessage"]?["FieldType"] as? String == "System.String")
            #expect(fields["Interval"]?["FieldType"] as? String == "System.TimeSpan")
            #expect((fields["Interval"]?["FieldRight"] as? [String: Any])?["Mask"] as? String == "FULL")
        }
    }

    @Test func theEngineIsStoppedAndStartedAndStillRunsForcedRounds() async throws {
        try await LiveServer.run(on: .sqlite) { client, _ async throws in
            var response = try await client.agent("ChangeEngineStatus", #"{"Run": false}"#)
            #expect(response.status == .ok)
            #expect(try response.json["IsRunning"] as? Bool == false)
            // A round under way when the engine is stopped (the first one starts with the server)
            // is told as it runs, and finishes; then the engine says it is stopped.
            var message = try response.json["StatusMessage"] as? String ?? ""
            if message.hasPrefix("Syncing") {
                _ = await Poll.until(every: .milliseconds(100)) {
                    message = try await client.agent("GetEngineStatus").json["StatusMessage"] as? String ?? ""
                    return !message.hasPrefix("Syncing")
                }
            }
            #expect(message.hasPrefix("Stopped."), "\(message)")
            #expect(try await client.agent("GetEngineStatus").json["IsRunning"] as? Bool == false)

            response = try await client.agent("SyncAll")
            #expect(try response.json["Status"] as? String == "OkWithInfo")
            #expect(try response.json["IsOk"] as? Bool == true)
            #expect(try (response.json["UserExplanation"] as? String)?.contains("ForceSyncAll") == true)

            response = try await client.agent("ForceSyncAll")
            let json = try response.json
            #expect(json["IsOk"] as? Bool == true)
            #expect(["Ok", "Warning"].contains(json["Status"] as? String), "VALLBLANCA does not run, so the round may warn")
            #expect((json["UserExplanation"] as? String)?.hasPrefix("Round done: 1 connection,") == true, "\(json)")
            #expect(
                json.keys.sorted() == [
                    "Changes", "ErrorCode", "FieldProperties", "IsOk", "Status", "TableRight", "TechExplanation", "UserExplanation",
                ]
            )
            let stopped = try await client.agent("GetEngineStatus").json["StatusMessage"] as? String ?? ""
            #expect(
                stopped.hasPrefix("Stopped. Last round ") && stopped.hasSuffix(": 1 connection, 0 changes, 1 error. Failed: VALLBLANCA."),
                "\(stopped)"
            )

            let refused = try await client.agent("ChangeEngineStatus", #"{"Run": "yes"}"#)
            #expect(try refused.expectAgentError(.badRequest, type: "ArgumentException") == "Run must be true or false.")
            #expect(try await client.agent("GetEngineStatus").json["IsRunning"] as? Bool == false, "unchanged")
            let noText = try await client.agent("TestConnectorUrl", #"{"Url": {}}"#)
            #expect(try noText.expectAgentError(.badRequest, type: "ArgumentException") == "Url must be a text.")
            let noList = try await client.agent("SaveErpConnectionSyncPriorities", #"{"ErpConnectionIds": {}}"#)
            #expect(try noList.expectAgentError(.badRequest, type: "ArgumentException") == "ErpConnectionIds must be a whole number.")

            response = try await client.agent("ChangeEngineStatus", #"{"run": true}"#)
            #expect(try response.json["IsRunning"] as? Bool == true)
            response = try await client.agent("SyncAll")
            #expect(try response.json["Status"] as? String != "OkWithInfo")
        }
    }

    @Test(arguments: ["00:00:01", "00:05:00", "23:59:59", "1.00:00:00", "0.12:00:00"])
    func anIntervalWithinItsBoundsIsTaken(_ interval: String) async throws {
        try await LiveServer.run(on: .sqlite) { client, _ async throws in
            let response = try await client.agent("ChangeEngineInterval", #"{"Interval": "\#(interval)"}"#)
            #expect(response.status == .noContent)
            #expect(response.body.readableBytes == 0)
            let expected = interval == "0.12:00:00" ? "12:00:00" : interval
            #expect(try await client.agent("GetEngineStatus").json["Interval"] as? String == expected)
        }
    }

    @Test(arguments: [
        #"{"Interval": "00:00:00"}"#, #"{"Interval": "1.00:00:01"}"#, #"{"Interval": "2.00:00:00"}"#, #"{"Interval": "5 minutes"}"#,
        #"{"Interval": "00:61:00"}"#, #"{"Interval": 300}"#, #"{}"#, #"{"Interval": null}"#,
    ])
    func anyOtherIntervalIsRefusedAndChangesNothing(_ body: String) async throws {
        try await LiveServer.run(on: .sqlite) { client, _ async throws in
            let response = try await client.agent("ChangeEngineInterval", body, headers: LiveServer.tje0JSON([.acceptLanguage: "nl"]))
            let message = try response.expectAgentError(.badRequest, type: "ArgumentException", language: "nl")
            #expect(message.hasPrefix("Interval moet hh:mm:ss, d.hh:mm:ss of een XML-duur (PT5M) zijn"))
            #expect(try await client.agent("GetEngineStatus").json["Interval"] as? String == "00:05:00")
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func connectionsAreListedReadToggledAndTested(_ database: TestDatabase) async throws {
        try await withErpFolder { folder in
            try await LiveServer.run(on: database) { client, storage async throws in
                let erp = try await Self.erpConnection(storage, folder: folder)
                let listed = try await client.agentList("GetAllConnections", #"{"IncludeDeleted": false}"#)
                #expect(listed.map { $0["DisplayName"] as? String }.sorted { ($0 ?? "") < ($1 ?? "") } == ["ERP", "VALLBLANCA"])
                let store = try #require(listed.first { $0["DisplayName"] as? String == "VALLBLANCA" })
                #expect(store["ErpConnectorId"] as? Int == 1)
                #expect((store["ConfigFields"] as? [String: String])?["url"] == "http://127.0.0.1:8081")
                #expect(store["DisplayDescription"] as? String == "Store server at http://127.0.0.1:8081")

                let read = try await client.agent("GetConnection", #"{"ErpConnectionId": \#(erp.id)}"#).json
                #expect(
                    Array(read.keys).sorted() == [
                        "Active", "AllAccess", "AssociateAccessIds", "ConfigFields", "ConnectionId", "Deleted", "DisplayDescription", "DisplayName",
                        "ErpConnectionId", "ErpConnectorId", "FieldProperties", "MostRecentTimestamp", "TableRight", "UserGroupAccessIds",
                    ]
                )
                #expect(read["ErpConnectionId"] as? Int == Int(erp.id) && read["ErpConnectorId"] as? Int == 3)
                #expect(read["ConnectionId"] as? String == erp.uuid && read["Active"] as? Bool == true && read["Deleted"] as? Bool == false)
                #expect((read["ConfigFields"] as? [String: String])?["folder"] == folder.path)
                // The engine's first round may have visited it already.
                let visited = try #require(read["MostRecentTimestamp"] as? String)
                #expect(visited.isEmpty || visited.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/) != nil, "\(visited)")
                #expect((read["TableRight"] as? [String: Any])?["Mask"] as? String == "FULL", "right erpsync lets tje0 do all the agent offers")

                var toggled = try await client.agent(
                    "ToggleErpConnectionActive",
                    #"{"ErpConnectionId": \#(erp.id)}"#,
                    headers: LiveServer.tje0JSON([.init("SO-Language")!: "de"])
                )
                #expect(toggled.text == "[]", "nothing stood in the way")
                #expect(try await client.agent("GetConnection", #"{"ErpConnectionId": \#(erp.id)}"#).json["Active"] as? Bool == false)
                toggled = try await client.agent("ToggleErpConnectionActive", #"{"ErpConnectionId": \#(erp.id)}"#)
                #expect(toggled.text == "[]")
                #expect(try await client.agent("GetConnection", #"{"ErpConnectionId": \#(erp.id)}"#).json["Active"] as? Bool == true)
                let notToggled = try await client.agent("ToggleErpConnectionActive", #"{"ErpConnectionId": 999}"#)
                #expect(notToggled.status == .ok && notToggled.text == #"["There is no connection 999."]"#)

                #expect(try await client.agent("TestConnectionById", #"{"ErpConnectionId": \#(erp.id)}"#).text == "true")
                let nowhere = try await storage.addSyncConnection(
                    NewSyncConnection(kind: .erpFiles, connectorId: 3, name: "Nowhere", uuid: "n", config: ["folder": "/proc/backroom-nowhere"])
                )
                #expect(try await client.agent("TestConnectionById", #"{"ErpConnectionId": \#(nowhere.id)}"#).text == "false")

                // Not found is an answer in this family, as in the original's agents.
                let missing = try await client.agent("GetConnection", #"{"ErpConnectionId": 999}"#)
                #expect(missing.status == .ok && missing.text == "null")
                let untested = try await client.agent("TestConnectionById", #"{"ErpConnectionId": 999}"#)
                #expect(untested.status == .ok && untested.text == "false")
                #expect(
                    try await client.agent("GetConnection", #"{"ErpConnectionId": "one"}"#).expectAgentError(.badRequest, type: "ArgumentException")
                        == "ErpConnectionId must be a whole number."
                )
                #expect(
                    try await client.agent("ToggleErpConnectionActive").expectAgentError(.badRequest, type: "ArgumentException")
                        == "ErpConnectionId must be a whole number."
                )

                #expect(try await storage.removeSyncConnection(id: nowhere.id))
                let current = try await client.agentList("GetAllConnections")
                #expect(current.count == 2)
                let everything = try await client.agentList("GetAllConnections", #"{"IncludeDeleted": true}"#)
                #expect(everything.count == 3)
                #expect(everything.first { $0["DisplayName"] as? String == "Nowhere" }?["Deleted"] as? Bool == true)
            }
        }
    }

    @Test func theConnectorsAreListedInTheCallersLanguage() async throws {
        try await LiveServer.run(on: .sqlite) { client, _ async throws in
            let response = try await client.agent("GetAllConnectors", headers: LiveServer.tje0JSON([.acceptLanguage: "da"]))
            let connectors = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [[String: Any]])
            #expect(connectors.map { $0["Id"] as? Int } == [1, 3])
            #expect(connectors.map { $0["Name"] as? String } == ["Butiksserver", "ERP-filer"])
            #expect(connectors.allSatisfy { ($0["ToolTip"] as? String)?.isEmpty == false })
            #expect(response.headers[.contentLanguage] == "da")
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aForcedRoundImportsTheErpsFilesAndExportsEveryMovementOnce(_ database: TestDatabase) async throws {
        try await withErpFolder { folder in
            try await LiveServer.run(on: database) { client, storage async throws in
                let erp = try await Self.erpConnection(storage, folder: folder)
                // A first round exports the demo's movements; the files below meet the second.
                _ = try await client.agent("ForceSyncAll")
                try FileManager.default.createDirectory(at: folder.appendingPathComponent("in"), withIntermediateDirectories: true)
                try "shop,id,qty\n10010,First-Test,5\n10010,Anorak,2\n".write(
                    to: folder.appendingPathComponent("in/receipts.csv"),
                    atomically: true,
                    encoding: .utf8
                )
                try "shop,id,counted\n10010,First-Test,7\n10010,Second-Test,many\n".write(
                    to: folder.appendingPathComponent("in/count.csv"),
                    atomically: true,
                    encoding: .utf8
                )
                let response = try await client.agent("ForceSyncAll")
                let json = try response.json
                #expect(json["Status"] as? String == "Warning")
                #expect(json["ErrorCode"] as? String == "ConnectionErrors")

                #expect(try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("in").path) == [])
                #expect(try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("done").path) == ["receipts.csv"])
                #expect(
                    try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("failed").path).sorted() == [
                        "count.csv", "count.csv.err",
                    ]
                )
                let report = try String(contentsOf: folder.appendingPathComponent("failed/count.csv.err"), encoding: .utf8)
                #expect(report == "line 3: counted must be a whole number\n")
                #expect(try await storage.stockLevel(shop: 10010, product: "First-Test")?.onHand == 105, "the bad count changed nothing")
                #expect(try await storage.stockLevel(shop: 10010, product: "Anorak")?.onHand == 2)

                let stored = try #require(try await storage.syncConnection(id: erp.id))
                #expect(stored.lastError?.hasPrefix("count.csv: line 3") == true, "\(stored)")

                let out = folder.appendingPathComponent("out")
                let files = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
                #expect(files.first == "movements-00000001.jsonl" && files.allSatisfy { $0.hasSuffix(".jsonl") })
                let lines = try files.flatMap { try String(contentsOf: out.appendingPathComponent($0), encoding: .utf8).split(separator: "\n") }
                let ids = try lines.map { line in
                    let movement = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                    return "\(movement["origin"] ?? ""):\(movement["sequence"] ?? "")"
                }
                #expect(ids.count == Int(try await storage.highestSequence(of: .central)))
                #expect(Set(ids).count == ids.count, "each movement once")

                _ = try await client.agent("ForceSyncAll")
                #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted() == files, "nothing new, nothing written")
            }
        }
    }
}
