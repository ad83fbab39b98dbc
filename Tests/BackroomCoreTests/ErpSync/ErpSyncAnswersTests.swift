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

    static func answers(_ principal: Principal, zone: String? = nil) -> ErpSyncAnswers {
        let zone = ErpTimeZone(header: zone, countries: ["NO": ["Europe/Oslo"], "US": ["America/New_York", "America/Chicago"]], at: Date())
        return ErpSyncAnswers(principal: principal, language: .en, culture: ErpCulture(language: nil, culture: nil, timeZone: zone.timeZone), zone: zone)
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

    @Test func dateTimesAreWrittenInTheCallersZoneWithoutOffsetUnlessAsked() {
        func written(_ zone: String?) -> ErpValue? {
            Self.property(Self.answers(Self.admin, zone: zone).connection(Self.connection), "MostRecentTimestamp")
        }
        #expect(written(nil) == .string("2025-11-24T16:00:00"))
        #expect(written("Europe/Stockholm") == .string("2025-11-24T17:00:00"))
        #expect(written("Europe/Stockholm, includeTZOffset") == .string("2025-11-24T17:00:00+01:00"))
        #expect(written("NO") == .string("2025-11-24T17:00:00"))
        #expect(written("no,includetzoffset") == .string("2025-11-24T17:00:00+01:00"))
        // Not resolvable (a country of several zones, a name of none): UTC, and saying so.
        #expect(written("US") == .string("2025-11-24T16:00:00Z"))
        #expect(written("Mars/Base") == .string("2025-11-24T16:00:00Z"))
    }

    @Test func aConnectionNeverVisitedHasAnEmptyTimestampNotNull() {
        let never = SyncConnection(
            id: 1, kind: .erpFiles, name: "ERP", uuid: "u", active: true, deleted: false, config: [:], lastSuccessAt: nil, lastError: nil
        )
        #expect(Self.property(Self.answers(Self.admin).connection(never), "MostRecentTimestamp") == .string(""))
    }

    @Test func countriesAreReadFromTheTimeZoneTable() {
        let table = "# comment\nDE\t+5230+01322\tEurope/Berlin\tmost of Germany\nDE\t+4742+00841\tEurope/Busingen\tBusingen\nNO\t+5955+01045\tEurope/Oslo\n"
        let countries = ErpTimeZone.countries(zoneTab: table)
        #expect(countries == ["DE": ["Europe/Berlin", "Europe/Busingen"], "NO": ["Europe/Oslo"]])
        // Busingen keeps Berlin's offsets all year: Germany has one time zone.
        #expect(ErpTimeZone(header: "DE", countries: countries, at: Date()).timeZone.identifier == "Europe/Berlin")
    }

    @Test func everyPropertyOfTheStatusHasItsFieldProperty() {
        let status = Self.answers(Self.clerk).engineStatus(running: true, interval: .standard, progress: EngineProgress())
        guard case .object(let type, let properties) = status else { Issue.record("not an object"); return }
        #expect(type == "ErpSyncEngineStatus")
        #expect(properties.map(\.name) == ["TableRight", "FieldProperties", "IsRunning", "StatusMessage", "Interval"])
        #expect(Self.property(status, "Interval") == .duration(.standard))
        #expect(Self.property(status, "FieldProperties", "Interval", "FieldType") == .string("System.TimeSpan"))
        #expect(Self.property(status, "FieldProperties", "IsRunning", "FieldType") == .string("System.Boolean"))
    }
}
