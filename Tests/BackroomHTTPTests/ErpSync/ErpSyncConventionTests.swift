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
            let response = try await client.agent(
                "GetEngineStatus",
                headers: accept.isEmpty ? LiveServer.tje0JSON() : LiveServer.tje0JSON([.accept: accept])
            )
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
                #expect(status.childNames == ["TableRight", "FieldProperties", "IsRunning", "StatusMessage", "Interval"])
                #expect(status.namespace(forPrefix: "xsi")?.stringValue == "http://www.w3.org/2001/XMLSchema-instance")
                #expect(status.child("IsRunning")?.stringValue == "true")
                let message = try #require(status.child("StatusMessage"))
                #expect(message.attribute(forName: "xsi:nil")?.stringValue == "true")
                #expect(message.stringValue == "")
                #expect(status.child("TableRight")?.childNames == ["Mask", "Reason"])
                #expect(status.child("TableRight")?.child("Mask")?.stringValue == "FULL")

                let erp = try await storage.addSyncConnection(
                    NewSyncConnection(kind: .erpFiles, connectorId: 3, name: "ERP & Co <1>", uuid: "u-1", config: ["folder": folder.path])
                )
                let list = try await client.agent("GetAllConnections", headers: xml).xml
                #expect(list.name == "ArrayOfErpConnection")
                #expect(Set(list.childNames) == ["ErpConnection"])
                let connection = try #require(
                    list.elements(forName: "ErpConnection").first { $0.child("DisplayName")?.stringValue == "ERP & Co <1>" }
                )
                #expect(
                    connection.childNames == [
                        "TableRight", "FieldProperties", "ErpConnectionId", "ErpConnectorId", "DisplayName", "DisplayDescription", "Active",
                        "ConnectionId", "MostRecentTimestamp", "ConfigFields", "Deleted", "AllAccess", "UserGroupAccessIds", "AssociateAccessIds",
                    ]
                )
                #expect(connection.child("ErpConnectionId")?.stringValue == String(erp.id))
                #expect(connection.child("ConfigFields")?.child("folder")?.stringValue == folder.path)
                #expect(connection.child("FieldProperties")?.child("Active")?.child("FieldType")?.stringValue == "System.Boolean")

                let tested = try await client.agent("TestConnectionById", #"{"ErpConnectionId": \#(erp.id)}"#, headers: xml).xml
                #expect(tested.name == "boolean" && tested.stringValue == "true")
                let toggled = try await client.agent("ToggleErpConnectionActive", #"{"ErpConnectionId": \#(erp.id)}"#, headers: xml).xml
                #expect(toggled.name == "ArrayOfstring" && toggled.childCount == 0)
                let notFound = try await client.agent("ToggleErpConnectionActive", #"{"ErpConnectionId": 999}"#, headers: xml).xml
                #expect(notFound.elements(forName: "string").map(\.stringValue) == ["There is no connection 999."])
                let missing = try await client.agent("GetConnection", #"{"ErpConnectionId": 999}"#, headers: xml).xml
                #expect(missing.name == "ErpConnection" && missing.attribute(forName: "xsi:nil")?.stringValue == "true")
                let plugin = try await client.agent("SyncAll", headers: LiveServer.tje0JSON([.accept: "text/xml"])).xml
                #expect(plugin.name == "PluginResponse")
                #expect(
                    plugin.childNames == [
                        "TableRight", "FieldProperties", "IsOk", "UserExplanation", "TechExplanation", "ErrorCode", "Changes", "Status",
                    ]
                )
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

    @Test(
        arguments: [
            ([:], "en", "Stopped."), ([.acceptLanguage: "sv"], "sv", "Stoppad."), ([.acceptLanguage: "de-DE,de;q=0.9"], "de", "Angehalten."),
            ([.acceptLanguage: "fr, nl;q=0.3, no;q=0.5"], "no", "Stoppet."), ([soLanguage: "da", .acceptLanguage: "sv"], "da", "Stoppet."),
            ([soLanguage: "nl"], "nl", "Gestopt."), ([.acceptLanguage: "fr"], "en", "Stopped."),
            ([soLanguage: "xx", .acceptLanguage: "de"], "de", "Angehalten."),
        ] as [(HTTPFields, String, String)]
    )
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
                let erp = try await storage.addSyncConnection(
                    NewSyncConnection(kind: .erpFiles, connectorId: 3, name: "ERP", uuid: "u", config: ["folder": folder.path])
                )
                _ = try await client.agent("ForceSyncAll")
                let lastSuccess = try #require(try await storage.syncConnection(id: erp.id)?.lastSuccessAt)
                let body = #"{"ErpConnectionId": \#(erp.id)}"#

                func written(_ zone: String?) async throws -> String? {
                    let headers = LiveServer.tje0JSON(zone.map { [Self.soTimeZone: $0] } ?? [:])
                    return try await client.agent("GetConnection", body, headers: headers).json["MostRecentTimestamp"] as? String
                }
                // Without an offset, in the zone asked for (UTC without one); with it when asked.
                #expect(try await written(nil) == String(Self.iso(lastSuccess, zone: "UTC").prefix(19)))
                let stockholm = Self.iso(lastSuccess, zone: "Europe/Stockholm")
                #expect(try await written("Europe/Stockholm") == String(stockholm.prefix(19)))
                #expect(try await written("Europe/Stockholm, includeTZOffset") == stockholm)
                #expect(try await written("SE, includeTZOffset") == stockholm, "a country with one time zone")
                #expect(stockholm.hasSuffix("+01:00"))
                // A zone that cannot be resolved is no error: UTC, saying so.
                #expect(try await written("Mars/Olympus_Mons") == Self.iso(lastSuccess, zone: "UTC"))

                let german = try await client.agent(
                    "GetEngineStatus",
                    headers: LiveServer.tje0JSON([Self.soLanguage: "de", Self.soTimeZone: "Asia/Tokyo"])
                ).json
                let message = try #require(german["StatusMessage"] as? String)
                #expect(message.contains("Änderungen"), "\(message)")
                #expect(message.contains(Self.germanDate(lastSuccess)), "\(message) has the round's time in Tokyo, written as in Germany")
                let americanGerman = try await client.agent(
                    "GetEngineStatus",
                    headers: LiveServer.tje0JSON([Self.soLanguage: "de", Self.soCulture: "en-US"])
                ).json
                let american = try #require(americanGerman["StatusMessage"] as? String)
                #expect(american.hasPrefix("Untätig seit") && (american.contains("PM") || american.contains("AM")), "\(american)")

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
            let plain = try await client.agent(
                "ChangeEngineStatus",
                "Run=false",
                headers: LiveServer.basic("tje0", "Tje0") + [.contentType: "text/plain"]
            )
            #expect(
                try plain.expectAgentError(.unsupportedMediaType, type: "UnsupportedMediaType") == "The request body must be JSON, XML or a form."
            )
            let broken = try await client.agent("ChangeEngineStatus", #"{"Run": fals"#)
            #expect(
                try broken.expectAgentError(.badRequest, type: "ArgumentException") == "The request body cannot be read as its Content-Type says."
            )
            let brokenXML = try await client.agent(
                "ChangeEngineStatus",
                "<Run>false",
                headers: LiveServer.basic("tje0", "Tje0") + [.contentType: "application/xml"]
            )
            _ = try brokenXML.expectAgentError(.badRequest, type: "ArgumentException")
            let array = try await client.agent("ChangeEngineStatus", #"[true]"#)
            _ = try array.expectAgentError(.badRequest, type: "ArgumentException")
            let large = try await client.agent("ChangeEngineInterval", #"{"Interval": "\#(String(repeating: "0", count: 300))"}"#)
            _ = try large.expectAgentError(.contentTooLarge, type: "ArgumentException")
            #expect(try await client.agent("GetEngineStatus").json["IsRunning"] as? Bool == true)
            #expect(try await client.agent("GetEngineStatus").json["Interval"] as? String == "00:05:00")
        }
    }
}

extension ErpSyncConventionTests {
    /// The original takes JSON, XML (root name not checked) and forms, and durations in either form.
    @Test(arguments: [
        (
            "application/xml", "<ChangeEngineStatusRequest><Run>false</Run></ChangeEngineStatusRequest>",
            "<ChangeEngineIntervalRequest><Interval>PT2M</Interval></ChangeEngineIntervalRequest>"
        ),
        (
            "text/xml; charset=utf-8",
            #"<ChangeEngineStatus xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><Run> false </Run></ChangeEngineStatus>"#,
            "<x><Interval>00:02:00</Interval></x>"
        ),
        ("application/x-www-form-urlencoded", "Run=false", "Interval=00%3A02%3A00"),
        ("application/x-www-form-urlencoded; charset=utf-8", "run=false&Other=1", "Interval=PT2M"),
    ])
    func xmlAndFormBodiesAreUnderstood(_ contentType: String, _ run: String, _ interval: String) async throws {
        try await LiveServer.run(on: .sqlite) { client, _ async throws in
            let headers = LiveServer.basic("tje0", "Tje0") + [.contentType: contentType]
            let stopped = try await client.agent("ChangeEngineStatus", run, headers: headers)
            #expect(stopped.status == .ok)
            #expect(try stopped.json["IsRunning"] as? Bool == false)
            #expect(try await client.agent("ChangeEngineInterval", interval, headers: headers).status == .noContent)
            #expect(try await client.agent("GetEngineStatus").json["Interval"] as? String == "00:02:00")
            let xml = try await client.agent("GetEngineStatus", headers: LiveServer.tje0JSON([.accept: "application/xml"])).xml
            #expect(xml.child("Interval")?.stringValue == "PT2M", "an XSD duration in XML")
        }
    }

    @Test(arguments: ["application/json", "application/xml"])
    func getDescribesAMethodWithoutRunningIt(_ accept: String) async throws {
        try await LiveServer.run(on: .sqlite) { client, _ async throws in
            let response = try await client.call(
                .get,
                "/api/v1/Agents/ErpSync/ChangeEngineStatus",
                headers: LiveServer.basic("tje0", "Tje0") + [.accept: accept]
            )
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "\(accept); charset=utf-8")
            if accept == "application/json" {
                let json = try response.json
                #expect(json["Name"] as? String == "ChangeEngineStatus" && json["Returns"] as? String == "ErpSyncEngineStatus")
                #expect((json["Parameters"] as? [[String: String]]) == [["Name": "Run", "Type": "System.Boolean"]])
            } else {
                #expect(try response.xml.name == "MethodDescription")
            }
            #expect(try await client.agent("GetEngineStatus").json["IsRunning"] as? Bool == true, "nothing ran")
            let unknown = try await client.call(.get, "/api/v1/Agents/ErpSync/NoSuchMethod", headers: LiveServer.basic("tje0", "Tje0"))
            #expect(unknown.status == .notFound)
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
