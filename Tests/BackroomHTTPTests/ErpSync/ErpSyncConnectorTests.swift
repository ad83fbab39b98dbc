import BackroomCore
import BackroomStorage
import BackroomTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// The agent's connector methods over a real socket: HTTP connectors made, read, changed,
/// deleted and tested, their settings described, their connections' tokens sealed and resent.
struct ErpSyncConnectorTests {
    /// An ERP endpoint that takes every batch and notes its key and movements.
    final class Endpoint: Sendable {
        let batches = Mutex<[(key: String, movements: [String])]>([])
        /// How many requests to refuse (503) before taking any.
        let refusals = Mutex(0)

        var application: some ApplicationProtocol {
            let router = Router()
            router.post("erp") { request, _ -> HTTPResponse.Status in
                if self.refusals.withLock({ refusals in
                    defer { refusals = max(0, refusals - 1) }
                    return refusals > 0
                }) {
                    return .serviceUnavailable
                }
                let body = try await request.body.collect(upTo: 16 << 20)
                let object = try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]
                let movements = (object?["movements"] as? [[String: Any]] ?? []).map { "\($0["origin"] ?? ""):\($0["sequence"] ?? "")" }
                self.batches.withLock { $0.append((request.headers[HTTPField.Name("Idempotency-Key")!] ?? "", movements)) }
                return .ok
            }
            return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func anHTTPConnectorIsMadeReadChangedAndDeleted(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, _ async throws in
            let defaults = try await client.agent("CreateDefaultErpSyncConnectorEntity").json
            #expect(defaults["ErpConnectorId"] as? Int == 0 && defaults["URL"] as? String == "" && defaults["Deleted"] as? Bool == false)
            let made = try await client.agent(
                "SaveErpSyncConnectorEntity",
                #"{"ErpConnectorId": 0, "DisplayName": "Navision", "URL": "https://erp.example/backroom"}"#
            )
            #expect(made.text.hasPrefix(#"{"TableRight":{"Mask":"FULL","Reason":""},"FieldProperties":{"ErpConnectorId":"#))
            let id = try #require(try made.json["ErpConnectorId"] as? Int)
            #expect(id >= 101, "entities are numbered after the built-in connectors")
            let read = try await client.agent("GetErpSyncConnectorEntity", query: "?erpSyncConnectorEntityId=\(id)").json
            #expect(read["DisplayName"] as? String == "Navision" && read["URL"] as? String == "https://erp.example/backroom")
            #expect(try await client.agentList("GetAllConnectors").map { $0["Id"] as? Int } == [1, 3, id])

            let changed = try await client.agent(
                "SaveErpSyncConnectorEntity",
                #"{"ErpConnectorId": \#(id), "DisplayName": "NAV", "URL": "http://nav.local/in"}"#
            )
            #expect(try changed.json["URL"] as? String == "http://nav.local/in")
            let fields = try await client.agentList("GetConfigurationFields", #"{"ErpConnectorId": \#(id)}"#)
            #expect(fields.map { $0["FieldKey"] as? String } == ["token", "batchSize", "timeoutSeconds"])
            #expect(fields.first?["FieldType"] as? String == "Password")
            let files = try await client.agentList("GetConfigurationFields", #"{"ErpConnectorId": 3}"#)
            #expect(files.map { $0["FieldKey"] as? String } == ["folder"] && files.first?["Access"] as? String == "Mandatory")
            #expect(try await client.agent("GetConfigurationFields", #"{"ErpConnectorId": 999}"#).text == "null")

            // A connection of it keeps the connector from being deleted.
            let connection = try await client.agent("SaveConnection", #"{"Connection": {"ErpConnectionId": 0, "ErpConnectorId": \#(id)}}"#).json
            let connectionId = try #require(connection["ErpConnectionId"] as? Int)
            #expect(connection["DisplayName"] as? String == "NAV")
            #expect(
                try await client.agent("CanDeleteErpSyncConnectorEntity", #"{"ErpSyncConnectorId": \#(id)}"#).text
                    == #""ErrorConnectorHasConnections""#
            )
            #expect(
                try await client.agent("CanDeleteErpSyncConnectorEntity", #"{"ErpSyncConnectorId": 1}"#).text == #""ErrorConnectorHasConnections""#
            )
            #expect(try await client.agent("CanDeleteErpSyncConnectorEntity", #"{"ErpSyncConnectorId": 999}"#).text == #""ErrorNotFound""#)
            let inXML = try await client.agent(
                "CanDeleteErpSyncConnectorEntity",
                #"{"ErpSyncConnectorId": 999}"#,
                headers: LiveServer.tje0JSON([.accept: "application/xml"])
            )
            #expect(
                try inXML.xml.name == "ErpSyncResponseCode" && inXML.xml.stringValue == "ErrorNotFound",
                "the enum's own root, as its XML schema names it"
            )
            let inUse = try await client.agent("DeleteErpSyncConnectorEntity", query: "?erpSyncConnectorEntityId=\(id)")
            #expect(try inUse.expectAgentError(.badRequest, type: "ArgumentException") == "Connector \(id) has connections; delete them first.")
            #expect(try await client.agent("DeleteConnection", #"{"ErpConnectionId": \#(connectionId)}"#).status == .noContent)
            #expect(try await client.agent("CanDeleteErpSyncConnectorEntity", #"{"ErpSyncConnectorId": \#(id)}"#).text == #""NoError""#)
            #expect(try await client.agent("DeleteErpSyncConnectorEntity", query: "?erpSyncConnectorEntityId=\(id)").status == .noContent)
            #expect(try await client.agent("GetErpSyncConnectorEntity", query: "?erpSyncConnectorEntityId=\(id)").json["Deleted"] as? Bool == true)
            #expect(try await client.agentList("GetAllConnectors").map { $0["Id"] as? Int } == [1, 3])
            #expect(try await client.agent("GetErpSyncConnectorEntity", query: "?erpSyncConnectorEntityId=999").text == "null")
            let builtIn = try await client.agent("DeleteErpSyncConnectorEntity", query: "?erpSyncConnectorEntityId=3")
            #expect(
                try builtIn.expectAgentError(.badRequest, type: "ArgumentException") == "Connector 3 is built in and cannot be changed or deleted."
            )
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func badConnectorsAreRefusedNamingTheField(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, storage async throws in
            let refusals: [(String, String)] = [
                (#"{"ErpConnectorId": 0, "DisplayName": "X", "URL": "ftp://erp.example"}"#, "URL must be an http or https URL."),
                (#"{"ErpConnectorId": 0, "DisplayName": "X", "URL": "erp.example/in"}"#, "URL must be an http or https URL."),
                (#"{"ErpConnectorId": 0, "DisplayName": "X"}"#, "URL is required."),
                (#"{"ErpConnectorId": 0, "URL": "http://erp.example"}"#, "DisplayName is required."),
                (
                    #"{"ErpConnectorId": 1, "DisplayName": "X", "URL": "http://erp.example"}"#,
                    "Connector 1 is built in and cannot be changed or deleted."
                ),
                (#"{"ErpConnectorId": "one", "DisplayName": "X", "URL": "http://erp.example"}"#, "ErpConnectorId must be a whole number."),
            ]
            for (body, message) in refusals {
                let answer = try await client.agent("SaveErpSyncConnectorEntity", body)
                #expect(try answer.expectAgentError(.badRequest, type: "ArgumentException") == message, "\(body)")
            }
            #expect(try await storage.connectorEntities(includeDeleted: true).isEmpty, "nothing saved")
            let unreachable = try await client.agent("TestConnectorUrl", #"{"Url": "http://127.0.0.1:9/erp"}"#)
            #expect(unreachable.status == .ok)
            #expect(unreachable.text == #""ErrorNotFound""#, "the reason goes to the log, not to the caller")
            #expect(try await client.agent("TestConnectorUrl", #"{"Url": "mailto:erp@example"}"#).text == #""ErrorNotFound""#)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aTokenIsSealedNeverListedAndAResyncDeliversAgainUnderNewKeys(_ database: TestDatabase) async throws {
        let endpoint = Endpoint()
        try await endpoint.application.test(.live) { erp in
            let url = "http://127.0.0.1:\(try #require(erp.port))/erp"
            try await LiveServer.run(on: database) { client, storage async throws in
                let test = try await client.agent("TestConnectorUrl", #"{"Url": "\#(url)"}"#)
                #expect(test.text == #""NoError""#, "the endpoint answers (405 to a GET is an answer)")
                let made = try await client.agent("SaveErpSyncConnectorEntity", #"{"ErpConnectorId": 0, "DisplayName": "ERP API", "URL": "\#(url)"}"#)
                    .json
                let connector = try #require(made["ErpConnectorId"] as? Int)
                let token = "erp-token-\(UUID().uuidString)"
                let saved = try await client.agent(
                    "SaveConnection",
                    #"{"Connection": {"ErpConnectionId": 0, "ErpConnectorId": \#(connector), "ConfigFields": {"token": "\#(token)", "batchSize": "400"}}}"#
                )
                #expect(!saved.text.contains(token))
                let id = try #require(try saved.json["ErpConnectionId"] as? Int)
                let stored = try #require(try await storage.syncConnection(id: Int64(id))?.config["token"])
                #expect(stored.hasPrefix("sealed:v1:") && !stored.contains(token), "stored sealed")
                #expect(!(try await client.agent("GetAllConnections").text.contains(token)))

                // A change that leaves the token out keeps it.
                _ = try await client.agent("SaveConnection", #"{"Connection": {"ErpConnectionId": \#(id), "ConfigFields": {"batchSize": "500"}}}"#)
                #expect(try await storage.syncConnection(id: Int64(id))?.config["token"] == stored)
                #expect(try await client.agent("TestConnectionById", #"{"ErpConnectionId": \#(id)}"#).text == "true")

                _ = try await client.agent("ForceSyncAll")
                let first = endpoint.batches.withLock { $0 }
                let movements = first.flatMap(\.movements)
                #expect(!movements.isEmpty && Set(movements).count == movements.count)
                #expect(first.allSatisfy { $0.movements.count <= 500 })

                let resync = try await client.agent("ForceResync", #"{"ErpConnectionId": \#(id), "InternalKeyIds": []}"#).json
                #expect(resync["IsOk"] as? Bool == true)
                #expect(
                    resync["UserExplanation"] as? String
                        == "Every movement will be delivered again from the start at the next visit, with new idempotency keys."
                )
                _ = try await client.agent("ForceSyncAll")
                let again = endpoint.batches.withLock { Array($0.dropFirst(first.count)) }
                #expect(again.flatMap(\.movements) == movements, "everything again, in the same order")
                #expect(Set(again.map(\.key)).isDisjoint(with: first.map(\.key)), "under new keys")
            }
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aRefusedDeliveryIsTriedAgainSoonWithoutWaitingForTheInterval(_ database: TestDatabase) async throws {
        let endpoint = Endpoint()
        endpoint.refusals.withLock { $0 = 3 }
        try await endpoint.application.test(.live) { erp in
            let url = "http://127.0.0.1:\(try #require(erp.port))/erp"
            try await LiveServer.run(on: database) { client, _ async throws in
                let made = try await client.agent("SaveErpSyncConnectorEntity", #"{"ErpConnectorId": 0, "DisplayName": "ERP API", "URL": "\#(url)"}"#)
                    .json
                let connector = try #require(made["ErpConnectorId"] as? Int)
                _ = try await client.agent("SaveConnection", #"{"Connection": {"ErpConnectionId": 0, "ErpConnectorId": \#(connector)}}"#)
                let forced = try await client.agent("ForceSyncAll").json
                #expect(forced["Status"] as? String == "Warning", "the first delivery was refused")
                #expect(try await client.agent("GetEngineStatus").json["Interval"] as? String == "00:05:00")
                // Tried again after 0.5 s, 1 s, 2 s: well before the interval.
                _ = await Poll.until(every: .milliseconds(100)) { !endpoint.batches.withLock { $0.isEmpty } }
                #expect(endpoint.refusals.withLock { $0 } == 0)
                let delivered = endpoint.batches.withLock { $0.flatMap(\.movements) }
                #expect(!delivered.isEmpty && Set(delivered).count == delivered.count)
            }
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func getDescribesTheNewMethodsWithoutRunningThem(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, storage async throws in
            let described = try await client.call(.get, "/api/v1/Agents/ErpSync/SaveConnection", headers: LiveServer.tje0JSON()).json
            #expect(described["Name"] as? String == "SaveConnection" && described["Returns"] as? String == "ErpConnection")
            let resync = try await client.call(.get, "/api/v1/Agents/ErpSync/forceresync", headers: LiveServer.tje0JSON()).json
            #expect((resync["Parameters"] as? [[String: Any]])?.compactMap { $0["Name"] as? String } == ["ErpConnectionId", "InternalKeyIds"])
            _ = try await client.call(
                .get,
                "/api/v1/Agents/ErpSync/DeleteErpSyncConnectorEntity?erpSyncConnectorEntityId=1",
                headers: LiveServer.tje0JSON()
            )
            #expect(try await storage.connectorEntities(includeDeleted: true).isEmpty)
        }
    }
}
