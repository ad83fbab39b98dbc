import BackroomCore
import Testing

struct ConnectionSettingsTests {
    @Test func eachConnectorsSettingsAreReadIntoItsOwnType() throws {
        #expect(try ConnectionSettings(kind: .erpFiles, fields: ["folder": "/srv/erp"]) == .erpFiles(.init(folder: "/srv/erp")))
        #expect(
            try ConnectionSettings(kind: .storeLink, fields: ["serverKey": "NORTE", "url": "https://norte:8081"])
                == .storeLink(.init(serverKey: "NORTE", url: "https://norte:8081"))
        )
        #expect(try ConnectionSettings(kind: .centralLink, fields: [:]).link == .init(serverKey: nil, url: nil))
        guard case .http(let defaults) = try ConnectionSettings(kind: .http, fields: [:]) else {
            Issue.record("not HTTP")
            return
        }
        #expect(defaults.token == nil && defaults.batchSize == 1000 && defaults.timeoutSeconds == 30, "the fields' defaults")
        guard case .http(let given) = try ConnectionSettings(kind: .http, fields: ["token": "t", "batchSize": "10", "timeoutSeconds": "600"]) else {
            Issue.record("not HTTP")
            return
        }
        #expect(given.token == "t" && given.batchSize == 10 && given.timeoutSeconds == 600)
    }

    @Test func settingsThatAreWrongAreRefusedNamingTheField() {
        #expect(throws: ConnectorSettingProblem.missing(field: "folder")) { try ConnectionSettings(kind: .erpFiles, fields: ["folder": ""]) }
        #expect(throws: ConnectorSettingProblem.notInteger(field: "timeoutSeconds", range: 1...600)) {
            try ConnectionSettings(kind: .http, fields: ["timeoutSeconds": "601"])
        }
        #expect(throws: ConnectorSettingProblem.unknown(field: "folder")) { try ConnectionSettings(kind: .http, fields: ["folder": "/x"]) }
    }

    @Test func aLinksFieldsAreWhatItIsReadFrom() throws {
        let link = ConnectionSettings.Link(serverKey: "VALLBLANCA", url: "http://127.0.0.1:8081")
        #expect(try ConnectionSettings(kind: .storeLink, fields: link.fields).link == link)
        #expect(ConnectionSettings.Link(serverKey: "SUR", url: nil).fields == ["serverKey": "SUR"])
    }
}
