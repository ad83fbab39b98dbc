import BackroomCore
import Foundation
import Testing

struct ErpSyncAnswersTests {
    static let admin = Principal(userID: 1, name: "admin", rights: [.admin], shops: [])
    static let clerk = Principal(userID: 2, name: "tje0", rights: [.erpsync], shops: [10010])
    static let connection = SyncConnection(
        id: 1, kind: .erpFiles, name: "ERP", uuid: "u", active: true, deleted: false, config: ["folder": "/x"],
        lastSuccessAt: 1_764_000_000_000, lastError: nil
    )

    static func answers(_ principal: Principal, zone: String = "UTC") -> ErpSyncAnswers {
        ErpSyncAnswers(principal: principal, language: .en, culture: ErpCulture(language: nil, culture: nil, timeZone: TimeZone(identifier: zone)!))
    }

    static func property(_ value: ErpValue, _ path: String...) -> ErpValue? {
        path.reduce(Optional(value)) { value, name in
            switch value {
            case .object(_, let properties)?, .map(let properties)?: properties.first { $0.name == name }?.value
            default: nil
            }
        }
    }

    @Test func fieldRightsFollowTheCallersRights() {
        let forAdmin = Self.answers(Self.admin).connection(Self.connection)
        let forClerk = Self.answers(Self.clerk).connection(Self.connection)
        #expect(Self.property(forAdmin, "TableRight", "Mask") == .string("FULL"))
        #expect(Self.property(forAdmin, "TableRight", "Reason") == .string(""))
        #expect(Self.property(forClerk, "TableRight", "Mask") == .string("UR"))
        #expect(Self.property(forClerk, "FieldProperties", "ConfigFields", "FieldRight", "Mask") == .string("R"))
        #expect(Self.property(forClerk, "FieldProperties", "ConfigFields", "FieldRight", "Reason") == .string("Only an administrator may change this."))
        #expect(Self.property(forClerk, "FieldProperties", "Active", "FieldRight", "Mask") == .string("FULL"))
        #expect(Self.property(forClerk, "FieldProperties", "DisplayName", "FieldLength") == .int(255))
        #expect(Self.property(forClerk, "FieldProperties", "MostRecentTimestamp", "FieldType") == .string("System.DateTime"))
    }

    @Test func dateTimesAreWrittenInTheCallersZone() {
        #expect(Self.property(Self.answers(Self.admin).connection(Self.connection), "MostRecentTimestamp") == .string("2025-11-24T16:00:00Z"))
        let stockholm = Self.answers(Self.admin, zone: "Europe/Stockholm").connection(Self.connection)
        #expect(Self.property(stockholm, "MostRecentTimestamp") == .string("2025-11-24T17:00:00+01:00"))
    }

    @Test func everyPropertyOfTheStatusHasItsFieldProperty() {
        let status = Self.answers(Self.clerk).engineStatus(running: true, interval: .standard, progress: EngineProgress())
        guard case .object(let type, let properties) = status else { Issue.record("not an object"); return }
        #expect(type == "ErpSyncEngineStatus")
        #expect(properties.map(\.name) == ["IsRunning", "StatusMessage", "Interval", "TableRight", "FieldProperties"])
        #expect(Self.property(status, "Interval") == .string("00:05:00"))
        #expect(Self.property(status, "FieldProperties", "Interval", "FieldType") == .string("System.TimeSpan"))
        #expect(Self.property(status, "FieldProperties", "IsRunning", "FieldType") == .string("System.Boolean"))
    }
}
