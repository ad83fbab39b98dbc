import BackroomCore
import Testing

struct ConnectorFieldTests {
    @Test func settingsAreCheckedFieldByField() {
        #expect(ConnectorKind.erpFiles.problem(with: ["folder": "/srv/erp"]) == nil)
        #expect(ConnectorKind.erpFiles.problem(with: [:]) == .missing(field: "folder"))
        #expect(ConnectorKind.erpFiles.problem(with: ["folder": ""]) == .missing(field: "folder"))
        #expect(ConnectorKind.erpFiles.problem(with: ["folder": "/a", "url": "x"]) == .unknown(field: "url"))
        #expect(ConnectorKind.erpFiles.problem(with: ["folder": String(repeating: "a", count: 1025)]) == .tooLong(field: "folder", maxLength: 1024))
        #expect(ConnectorKind.http.problem(with: [:]) == nil, "every HTTP setting has a default or may be left out")
        #expect(ConnectorKind.http.problem(with: ["batchSize": "0"]) == .notInteger(field: "batchSize", range: 1...10000))
        #expect(ConnectorKind.http.problem(with: ["batchSize": "many"]) == .notInteger(field: "batchSize", range: 1...10000))
        #expect(ConnectorKind.storeLink.problem(with: ["serverKey": "NORTE", "url": "ftp://x"]) == .notHTTPURL(field: "url"))
        #expect(ConnectorKind.storeLink.problem(with: ["serverKey": "NORTE", "url": "https://norte:8081"]) == nil)
    }

    @Test func integersFallBackToTheirDefault() throws {
        func delivery(_ fields: [String: String]) throws -> ConnectionSettings.HTTPDelivery? {
            if case .http(let delivery) = try ConnectionSettings(kind: .http, fields: fields) { delivery } else { nil }
        }
        #expect(try delivery([:])?.batchSize == 1000)
        #expect(try delivery(["batchSize": "250"])?.batchSize == 250)
        #expect(try delivery([:])?.timeoutSeconds == 30)
        #expect(throws: ConnectorSettingProblem.unknown(field: "batchSize")) { try ConnectionSettings(kind: .erpFiles, fields: ["batchSize": "5"]) }
    }

    @Test func onlyTheTokenIsASecret() {
        #expect(ConnectorKind.allCases.flatMap(\.fields).filter(\.isSecret).map(\.key) == ["token"])
    }

    @Test func builtInIdsNeverChangeAndEntitiesComeAfter() {
        #expect(ConnectorKind.allCases.compactMap(\.builtInId) == [1, 2, 3])
        #expect(ConnectorKind.builtIn(id: 3) == .erpFiles && ConnectorKind.builtIn(id: 101) == nil)
        #expect(ConnectorKind.firstEntityId > 3)
    }

    @Test func anHTTPConnectorNeedsANameAndAnHTTPURL() {
        #expect(ConnectorEntity(id: 0, name: "NAV", url: "https://nav.example/in", deleted: false).problem == nil)
        #expect(ConnectorEntity(id: 0, name: "", url: "https://nav.example", deleted: false).problem == .missing(field: "DisplayName"))
        #expect(ConnectorEntity(id: 0, name: "NAV", url: "", deleted: false).problem == .missing(field: "URL"))
        #expect(ConnectorEntity(id: 0, name: "NAV", url: "file:///etc/passwd", deleted: false).problem == .notHTTPURL(field: "URL"))
        #expect(ConnectorEntity(id: 0, name: "NAV", url: "http://", deleted: false).problem == .notHTTPURL(field: "URL"))
    }
}
