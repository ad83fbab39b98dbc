import BackroomCore
import Foundation
import Testing

struct ErpSyncAnswersTests {
    static let admin = Principal(userID: 1, name: "admin", rights: [.admin], shops: [])
    static let clerk = Principal(userID: 2, name: "tje0", rights: [.erpsync], shops: [10010])
    static let connection = SyncConnection(
        id: 1,
        kind: .erpFiles,
        connectorId: 3,
        name: "ERP",
        uuid: "u",
        active: true,
        deleted: false,
        config: ["folder": "/x"],
        lastSuccessAt: 1_764_000_000_000,
        lastError: nil
    )

    static func answers(_ principal: Principal, zone: String? = nil) -> ErpSyncAnswers {
        let zone = ErpTimeZone(header: zone, countries: ["NO": ["Europe/Oslo"], "US": ["America/New_York", "America/Chicago"]], at: Date())
        return ErpSyncAnswers(
            principal: principal,
            language: .en,
            culture: ErpCulture(language: nil, culture: nil, timeZone: zone.timeZone),
            zone: zone
        )
    }

    static func property(_ value: ErpValue, _ path: String...) -> ErpValue? {
        path.reduce(Optional(value)) { value, name in
            switch value {
            case .object(_, let properties)?, .map(let properties)?: properties.first { $0.name == name }?.value
            default: nil
            }
        }
    }

    @Test func everyCallerTheAgentLetsInMayDoAllItOffers() {
        for principal in [Self.admin, Self.clerk] {
            let answer = Self.answers(principal).connection(Self.connection)
            #expect(Self.property(answer, "TableRight", "Mask") == .string("FULL"))
            #expect(Self.property(answer, "TableRight", "Reason") == .string(""))
            #expect(Self.property(answer, "FieldProperties", "ConfigFields", "FieldRight", "Mask") == .string("FULL"))
        }
        let answer = Self.answers(Self.clerk).connection(Self.connection)
        #expect(Self.property(answer, "FieldProperties", "DisplayName", "FieldLength") == .int(255))
        #expect(Self.property(answer, "FieldProperties", "MostRecentTimestamp", "FieldType") == .string("System.DateTime"))
        #expect(Self.property(answer, "ErpConnectorId") == .int(3))
    }

    @Test func secretsAreLeftOutOfTheSettingsShown() {
        let http = SyncConnection(
            id: 7,
            kind: .http,
            connectorId: 101,
            name: "ERP API",
            uuid: "h",
            active: true,
            deleted: false,
            config: ["token": "sealed:v1:abc", "batchSize": "500"],
            lastSuccessAt: nil,
            lastError: nil
        )
        let answers = Self.answers(Self.admin)
        #expect(Self.property(answers.connection(http), "ConfigFields") == .map([ErpProperty("batchSize", .string("500"))]))
        #expect(answers.configFields(http) == .object(type: "StringDictionary", [ErpProperty("batchSize", .string("500"))]))
        #expect(Self.property(answers.connection(http), "ErpConnectorId") == .int(101))
    }

    @Test func fieldsAreDescribedInTheOriginalsOrderAndWords() {
        let fields = Self.answers(Self.clerk).fields(ConnectorKind.http.fields)
        guard case .list("FieldMetadata", let items) = fields, let token = items.first else {
            Issue.record("not a FieldMetadata list")
            return
        }
        guard case .object("FieldMetadata", let properties) = token else {
            Issue.record("not FieldMetadata")
            return
        }
        #expect(
            properties.map(\.name) == [
                "TableRight", "FieldProperties", "FieldKey", "Rank", "DisplayName", "DisplayDescription", "FieldType", "ListName", "DefaultValue",
                "MaxLength", "Access", "ShowInSearch",
            ]
        )
        #expect(Self.property(token, "FieldKey") == .string("token"))
        #expect(Self.property(token, "FieldType") == .string("Password"))
        #expect(Self.property(token, "Access") == .string("Optional"))
        #expect(Self.property(items[1], "DefaultValue") == .string("1000"))
        #expect(Self.property(items[1], "Rank") == .int(2))
    }

    @Test func aSummaryNamesWhatTheConnectionMoves() {
        let summary = Self.answers(Self.admin).summary(Self.connection)
        guard case .object("ErpSyncConnectionSummary", let properties) = summary else {
            Issue.record("not a summary")
            return
        }
        #expect(
            properties.map(\.name) == [
                "TableRight", "FieldProperties", "DisplayName", "DisplayDescription", "Active", "Deleted", "LastSync", "Actors",
            ]
        )
        guard case .list("ErpSyncActorSummary", let actors)? = Self.property(summary, "Actors") else {
            Issue.record("no actors")
            return
        }
        #expect(actors.compactMap { Self.property($0, "ActorType") } == [.string("Product"), .string("StockLevel"), .string("Movement")])
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
            id: 1,
            kind: .erpFiles,
            connectorId: 3,
            name: "ERP",
            uuid: "u",
            active: true,
            deleted: false,
            config: [:],
            lastSuccessAt: nil,
            lastError: nil
        )
        #expect(Self.property(Self.answers(Self.admin).connection(never), "MostRecentTimestamp") == .string(""))
    }

    @Test func countriesAreReadFromTheTimeZoneTable() {
        let table =
            "# comment\nDE\t+5230+01322\tEurope/Berlin\tmost of Germany\nDE\t+4742+00841\tEurope/Busingen\tBusingen\nNO\t+5955+01045\tEurope/Oslo\n"
        let countries = ErpTimeZone.countries(zoneTab: table)
        #expect(countries == ["DE": ["Europe/Berlin", "Europe/Busingen"], "NO": ["Europe/Oslo"]])
        // Busingen keeps Berlin's offsets all year: Germany has one time zone.
        #expect(ErpTimeZone(header: "DE", countries: countries, at: Date()).timeZone.identifier == "Europe/Berlin")
    }

    @Test func everyPropertyOfTheStatusHasItsFieldProperty() {
        let status = Self.answers(Self.clerk).engineStatus(running: true, interval: .standard, progress: EngineProgress())
        guard case .object(let type, let properties) = status else {
            Issue.record("not an object")
            return
        }
        #expect(type == "ErpSyncEngineStatus")
        #expect(properties.map(\.name) == ["TableRight", "FieldProperties", "IsRunning", "StatusMessage", "Interval"])
        #expect(Self.property(status, "Interval") == .duration(.standard))
        #expect(Self.property(status, "FieldProperties", "Interval", "FieldType") == .string("System.TimeSpan"))
        #expect(Self.property(status, "FieldProperties", "IsRunning", "FieldType") == .string("System.Boolean"))
    }
}
