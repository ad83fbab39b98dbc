import BackroomCore
import BackroomStorage
import BackroomTestSupport
import Foundation
import FoundationXML
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The conventions of the agent's API family: Accept and XML, `$select`, languages, cultures,
/// time zones and the error shape.
struct ErpSyncConventionTests {
    static let soLanguage = HTTPField.Name("SO-Language")!
    static let soCulture = HTTPField.Name("SO-Culture")!
    static let soTimeZone = HTTPField.Name("SO-TimeZone")!

    @Test(arguments: [
        ("application/json", "application/json"), ("text/json", "text/json"), ("application/json-patch+json", "application/json-patch+json"),
        ("application/merge-patch+json", "application/merge-patch+json"), ("*/*", "application/json"), ("", "application/json"),
        ("application/xml", "application/xml"), ("text/xml", "text/xml"), ("text/html, application/xml;q=0.9", "application/xml"),
        ("application/xml;q=0.5, application/json", "application/json"), ("application/json; charset=utf-8", "application/json"),
    ])
    func acceptChoosesJSONOrXML(_ accept: String, _ mediaType: String) async throws {
        try await LiveServer.run(on: .sqlite) { client, _ async throws in
            let response = try await client.agent("GetEngineStatus", headers: accept.isEmpty ? LiveServer.tje0JSON() : LiveServer.tje0JSON([.accept: accept]))
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "\(mediaType); charset=utf-8")
            #expect(response.text.hasPrefix(mediaType.hasSuffix("xml") ? "<?xml" : "{"))
        }
    }

    @Test(arguments: ["text/html", "application/pdf", "image/*", "application/xml;q=0"])
    func anyOtherAcceptIs406(_ accept: String) async throws {
        try await LiveServer.run(on: .sqlite) { client, _ async throws in
            let response = try await client.agent("GetEngineStatus", headers: LiveServer.tje0JSON([.accept: accept, .acceptLanguage: "sv"]))
            let message = try response.expectAgentError(.notAcceptable, type: "NotAcceptable", language: "sv")
            #expect(message.hasPrefix("Kan inte svara som \(accept)"))
        }
    }

    @Test func xmlIsWrittenAsTheCRMWritesIt() async throws {
        try await withErpFolder { folder in
            try await LiveServer.run(on: .sqlite) { client, storage async throws in
                let xml = LiveServer.tje0JSON([.accept: "application/xml"])
                let status = try await client.agent("GetEngineStatus", query: "?$select=IsRunning,TableRight", headers: xml).xml
                #expect(status.name == "ErpSyncEngineStatus")
                #expect(status.childNames == ["IsRunning", "StatusMessage", "Interval", "TableRight", "FieldProperties"])
                #expect(status.namespace(forPrefix: "xsi")?.stringValue == "http://www.w3.org/2001/XMLSchema-instance")
                #expect(status.child("IsRunning")?.stringValue == "true")
                let message = try #require(status.child("StatusMessage"))
                #expect(message.attribute(forName: "xsi:nil")?.stringValue == "true")
                #expect(message.stringValue == "")
                #expect(status.child("TableRight")?.childNames == ["Mask", "Reason"])
                #expect(status.child("TableRight")?.child("Mask")?.stringValue == "FULL")

                let erp = try await storage.addSyncConnection(NewSyncConnection(kind: .erpFiles, name: "ERP & Co <1>", uuid: "u-1", config: ["folder": folder.path]))
                let list = try await client.agent("GetAllConnections", headers: xml).xml
                #expect(list.name == "ArrayOfErpConnection")
                #expect(Set(list.childNames) == ["ErpConnection"])
                let connection = try #require(list.elements(forName: "ErpConnection").first { $0.child("DisplayName")?.stringValue == "ERP & Co <1>" })
                #expect(connection.childNames == [
                    "ErpConnectionId", "ErpConnectorId", "DisplayName", "DisplayDescription", "Active", "ConnectionId", "MostRecentTimestamp",
                    "ConfigFields", "Deleted", "AllAccess", "UserGroupAccessIds", "AssociateAccessIds", "TableRight", "FieldProperties",
                ])
                #expect(connection.child("ErpConnectionId")?.stringValue == String(erp.id))
                #expect(connection.child("ConfigFields")?.child("folder")?.stringValue == folder.path)
                #expect(connection.child("FieldProperties")?.child("Active")?.child("FieldType")?.stringValue == "System.Boolean")

                let tested = try await client.agent("TestConnectionById", #"{"ErpConnectionId": \#(erp.id)}"#, headers: xml).xml
                #expect(tested.name == "boolean" && tested.stringValue == "true")
                let toggled = try await client.agent("ToggleErpConnectionActive", #"{"ErpConnectionId": \#(erp.id)}"#, headers: xml).xml
                #expect(toggled.name == "ArrayOfString")
                #expect(toggled.elements(forName: "string").map(\.stringValue) == ["Connection ERP & Co <1> is now inactive."])
                let plugin = try await client.agent("SyncAll", headers: LiveServer.tje0JSON([.accept: "text/xml"])).xml
                #expect(plugin.name == "PluginResponse")
                #expect(plugin.childNames == ["IsOk", "UserExplanation", "TechExplanation", "ErrorCode", "Changes", "Status", "TableRight", "FieldProperties"])
                #expect(plugin.child("Changes")?.attribute(forName: "xsi:nil")?.stringValue == "true")
            }
        }
    }

    @Test func selectNullsWhatIsNotNamed() async throws {
        try await LiveServer.run(on: .sqlite) { client, _ async throws in
            let json = try await client.agent("GetEngineStatus", query: "?$select=isrunning,FIELDPROPERTIES/Interval/FieldType").json
            #expect(json["IsRunning"] as? Bool == true)
            #expect(json["StatusMessage"] is NSNull && json["Interval"] is NSNull && json["TableRight"] is NSNull)
            let fields = try #require(json["FieldProperties"] as? [String: Any])
            #expect(fields["IsRunning"] is NSNull && fields["StatusMessage"] is NSNull)
            let interval = try #require(fields["Interval"] as? [String: Any])
            #expect(interval["FieldType"] as? String == "System.TimeSpan")
            #expect(interval["FieldRight"] is NSNull && interval["FieldLength"] is NSNull)

            let all = try await client.agent("GetEngineStatus", query: "?$select=").json
            #expect(all["StatusMessage"] is String, "an empty $select fills everything")
            let connectors = try await client.agent("GetAllConnectors", query: "?$select=Name")
            let list = try #require(try JSONSerialization.jsonObject(with: Data(buffer: connectors.body)) as? [[String: Any]])
            #expect(list.allSatisfy { $0["Id"] is NSNull && $0["ToolTip"] is NSNull && $0["Name"] is String })
        }
    }

    @Test(arguments: [
        ([:], "en", "Stopped."), ([.acceptLanguage: "sv"], "sv", "Stoppad."), ([.acceptLanguage: "de-DE,de;q=0.9"], "de", "Angehalten."),
        ([.acceptLanguage: "fr, nl;q=0.3, no;q=0.5"], "no", "Stoppet."), ([soLanguage: "da", .acceptLanguage: "sv"], "da", "Stoppet."),
        ([soLanguage: "nl"], "nl", "Gestopt."), ([.acceptLanguage: "fr"], "en", "Stopped."), ([soLanguage: "xx", .acceptLanguage: "de"], "de", "Angehalten."),
    ] as [(HTTPFields, String, String)])
    func theLanguageIsChosenByTheHeaders(_ headers: HTTPFields, _ language: String, _ stopped: String) async throws {
        try await LiveServer.run(on: .sqlite) { client, _ async throws in
            // Once a round has run, none is under way to be named instead.
            _ = try await client.agent("ForceSyncAll")
            let response = try await client.agent("ChangeEngineStatus", #"{"Run": false}"#, headers: LiveServer.tje0JSON(headers))
            #expect(response.headers[.contentLanguage] == language)
            // The round's summary follows.
            #expect(try (response.json["StatusMessage"] as? String)?.hasPrefix(stopped) == true)
            let unknown = try await client.agent("NoSuchMethod", headers: LiveServer.tje0JSON(headers))
            _ = try unknown.expectAgentError(.notFound, type: "NotFound", language: language)
        }
    }

    @Test func cultureAndTimeZoneShapeNumbersAndDates() async throws {
        try await withErpFolder { folder in
            try await LiveServer.run(on: .sqlite) { client, storage async throws in
                let erp = try await storage.addSyncConnection(NewSyncConnection(kind: .erpFiles, name: "ERP", uuid: "u", config: ["folder": folder.path]))
                _ = try await client.agent("ForceSyncAll")
                let lastSuccess = try #require(try await storage.syncConnection(id: erp.id)?.lastSuccessAt)
                let body = #"{"ErpConnectionId": \#(erp.id)}"#

                let utc = try await client.agent("GetConnection", body).json["MostRecentTimestamp"] as? String
                #expect(utc == Self.iso(lastSuccess, zone: "UTC"))
                let stockholm = try await client.agent("GetConnection", body, headers: LiveServer.tje0JSON([Self.soTimeZone: "Europe/Stockholm"])).json
                #expect(stockholm["MostRecentTimestamp"] as? String == Self.iso(lastSuccess, zone: "Europe/Stockholm"))
                #expect((stockholm["MostRecentTimestamp"] as? String)?.hasSuffix("+01:00") == true)

                let german = try await client.agent("GetEngineStatus", headers: LiveServer.tje0JSON([Self.soLanguage: "de", Self.soTimeZone: "Asia/Tokyo"])).json
                let message = try #require(german["StatusMessage"] as? String)
                #expect(message.contains("Änderungen"), "\(message)")
                #expect(message.contains(Self.germanDate(lastSuccess)), "\(message) has the round's time in Tokyo, written as in Germany")
                let americanGerman = try await client.agent("GetEngineStatus", headers: LiveServer.tje0JSON([Self.soLanguage: "de", Self.soCulture: "en-US"])).json
                let american = try #require(americanGerman["StatusMessage"] as? String)
                #expect(american.hasPrefix("Untätig seit") && (american.contains("PM") || american.contains("AM")), "\(american)")

                let refused = try await client.agent("GetEngineStatus", headers: LiveServer.tje0JSON([Self.soTimeZone: "Mars/Olympus_Mons"]))
                #expect(try refused.expectAgentError(.badRequest, type: "ArgumentException") == "Unknown time zone Mars/Olympus_Mons; use an IANA name such as Europe/Stockholm.")
            }
        }
    }

    static func iso(_ millis: Int64, zone: String) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: zone)!
        return formatter.string(from: Date(timeIntervalSince1970: Double(millis / 1000)))
    }

    static func germanDate(_ millis: Int64) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "de_DE")
        formatter.timeZone = TimeZone(identifier: "Asia/Tokyo")!
        formatter.dateStyle = .short
        formatter.timeStyle = .none
        return formatter.string(from: Date(timeIntervalSince1970: Double(millis) / 1000))
    }

    @Test func badRequestsGetTheAgentsErrorShapeAndChangeNothing() async throws {
        try await LiveServer.run(on: .sqlite, bodyLimit: 256) { client, _ async throws in
            #expect(try await client.agent("GetEngineStatu").expectAgentError(.notFound, type: "NotFound") == "Unknown method GetEngineStatu.")
            #expect(try await client.agent("getenginestatus").status == .ok, "method names are not case-sensitive")
            let plain = try await client.agent("ChangeEngineStatus", "Run=false", headers: LiveServer.basic("tje0", "Tje0") + [.contentType: "text/plain"])
            #expect(try plain.expectAgentError(.unsupportedMediaType, type: "UnsupportedMediaType") == "The request body must be JSON.")
            let broken = try await client.agent("ChangeEngineStatus", #"{"Run": fals"#)
            #expect(try broken.expectAgentError(.badRequest, type: "ArgumentException") == "The request body is not a JSON object.")
            let array = try await client.agent("ChangeEngineStatus", #"[true]"#)
            _ = try array.expectAgentError(.badRequest, type: "ArgumentException")
            let large = try await client.agent("ChangeEngineInterval", #"{"Interval": "\#(String(repeating: "0", count: 300))"}"#)
            _ = try large.expectAgentError(.contentTooLarge, type: "ArgumentException")
            #expect(try await client.agent("GetEngineStatus").json["IsRunning"] as? Bool == true)
            #expect(try await client.agent("GetEngineStatus").json["Interval"] as? String == "00:05:00")
        }
    }
}

extension HTTPFields {
    static func + (lhs: HTTPFields, rhs: HTTPFields) -> HTTPFields {
        var merged = lhs
        for field in rhs { merged[field.name] = field.value }
        return merged
    }
}
