import BackroomStorage
import BackroomTestSupport
import Foundation
import FoundationXML
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Every method of the agent and its refusals, read as a strict client generated from the CRM's
/// contract reads them: JSON against `Tests/Contracts/erpsync.schema.json` (closed objects,
/// closed enums), XML with its elements in the schema's order.
struct ErpSyncContractTests {
    static let schema = Result { try JSONSchema.contract("erpsync.schema.json") }

    /// The element order of the original's XML schema: carrier members, then the type's own.
    static let xmlOrder: [String: [String]] = [
        "ErpSyncEngineStatus": ["TableRight", "FieldProperties", "IsRunning", "StatusMessage", "Interval"],
        "PluginResponse": ["TableRight", "FieldProperties", "IsOk", "UserExplanation", "TechExplanation", "ErrorCode", "Changes", "Status"],
        "ErpConnection": [
            "TableRight", "FieldProperties", "ErpConnectionId", "ErpConnectorId", "DisplayName", "DisplayDescription", "Active", "ConnectionId",
            "MostRecentTimestamp", "ConfigFields", "Deleted", "AllAccess", "UserGroupAccessIds", "AssociateAccessIds",
        ],
        "ListItem": ["Id", "Name", "ToolTip"],
        "MethodDescription": ["Name", "HttpMethod", "Summary", "Parameters", "Returns"],
    ]

    static func conforms(_ response: TestResponse, _ status: HTTPResponse.Status, _ definition: String, _ what: String) throws {
        #expect(response.status == status, "\(what)")
        #expect(response.headers[.contentType] == "application/json; charset=utf-8", "\(what)")
        let problems = try schema.get().problems(response.body.readableBytesView, against: definition)
        #expect(problems.isEmpty, "\(what): \(problems)")
    }

    /// The XML form of the same answer: root named for the type, children in the schema's order.
    static func xmlConforms(_ response: TestResponse, root: String, _ what: String) throws {
        #expect(response.status == .ok, "\(what)")
        let element = try response.xml
        #expect(element.name == root, "\(what)")
        let objects = root.hasPrefix("ArrayOf") ? element.children?.compactMap { $0 as? XMLElement } ?? [] : [element]
        for object in objects where object.attribute(forName: "xsi:nil") == nil {
            guard let order = xmlOrder[object.name ?? ""] else { continue }
            #expect(object.childNames == order, "\(what): \(object.name ?? "")")
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func everyMethodAnswersAsTheContractSays(_ database: TestDatabase) async throws {
        try await withErpFolder { folder in
            try await LiveServer.run(on: database) { client, storage async throws in
                let erp = try await ErpSyncEndpointTests.erpConnection(storage, folder: folder)
                let one = #"{"ErpConnectionId": \#(erp.id)}"#
                let missing = #"{"ErpConnectionId": 999}"#
                let calls: [(method: String, body: String?, definition: String, root: String)] = [
                    ("GetEngineStatus", nil, "ErpSyncEngineStatus", "ErpSyncEngineStatus"),
                    ("ChangeEngineStatus", #"{"Run": true}"#, "ErpSyncEngineStatus", "ErpSyncEngineStatus"),
                    ("SyncAll", nil, "PluginResponse", "PluginResponse"),
                    ("ForceSyncAll", nil, "PluginResponse", "PluginResponse"),
                    ("GetAllConnections", #"{"IncludeDeleted": true}"#, "ArrayOfErpConnection", "ArrayOfErpConnection"),
                    ("GetConnection", one, "ErpConnectionOrNull", "ErpConnection"),
                    ("GetConnection", missing, "ErpConnectionOrNull", "ErpConnection"),
                    ("ToggleErpConnectionActive", one, "ArrayOfstring", "ArrayOfstring"),
                    ("ToggleErpConnectionActive", missing, "ArrayOfstring", "ArrayOfstring"),
                    ("TestConnectionById", one, "boolean", "boolean"),
                    ("TestConnectionById", missing, "boolean", "boolean"),
                    ("GetAllConnectors", nil, "ArrayOfListItem", "ArrayOfListItem"),
                ]
                for call in calls {
                    let what = "\(call.method) \(call.body ?? "")"
                    try Self.conforms(try await client.agent(call.method, call.body), .ok, call.definition, what)
                    let xml = try await client.agent(call.method, call.body, headers: LiveServer.tje0JSON([.accept: "application/xml"]))
                    try Self.xmlConforms(xml, root: call.root, what + " in XML")
                }
                let interval = try await client.agent("ChangeEngineInterval", #"{"Interval": "00:05:00"}"#)
                #expect(interval.status == .noContent && interval.body.readableBytes == 0)
                for method in ["GetEngineStatus", "ChangeEngineInterval", "GetConnection"] {
                    let described = try await client.call(.get, "/api/v1/Agents/ErpSync/\(method)", headers: LiveServer.basic("tje0", "Tje0"))
                    try Self.conforms(described, .ok, "MethodDescription", "GET \(method)")
                    let inXML = try await client.call(
                        .get,
                        "/api/v1/Agents/ErpSync/\(method)",
                        headers: LiveServer.basic("tje0", "Tje0") + [.accept: "text/xml"]
                    )
                    try Self.xmlConforms(inXML, root: "MethodDescription", "GET \(method) in XML")
                }
            }
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func everyRefusalHasTheAgentsErrorShape(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database, bodyLimit: 256) { client, storage async throws in
            let clerk = NewUser(name: "clerk", passwordHash: try await DemoPasswords.shared.hash("clerk"), rights: [.atp], shops: [10010])
            try await storage.createUser(clerk)
            let refusals: [(HTTPResponse.Status, TestResponse)] = [
                (.badRequest, try await client.agent("ChangeEngineStatus", #"{"Run": "maybe"}"#)),
                (.badRequest, try await client.agent("ChangeEngineInterval", #"{"Interval": "PT0S"}"#)),
                (.badRequest, try await client.agent("GetConnection", "{")),
                (.unauthorized, try await client.agent("GetEngineStatus", headers: [:])),
                (.forbidden, try await client.agent("GetEngineStatus", headers: LiveServer.basic("clerk", "clerk"))),
                (.notFound, try await client.agent("MapContactToActor")),
                (.notAcceptable, try await client.agent("GetEngineStatus", headers: LiveServer.tje0JSON([.accept: "text/html"]))),
                (
                    .unsupportedMediaType,
                    try await client.agent("GetEngineStatus", "x", headers: LiveServer.basic("tje0", "Tje0") + [.contentType: "text/plain"])
                ),
                (.contentTooLarge, try await client.agent("GetEngineStatus", "{\"x\": \"\(String(repeating: "x", count: 300))\"}")),
            ]
            for (status, response) in refusals {
                try Self.conforms(response, status, "Error", "\(status)")
            }
        }
    }
}
