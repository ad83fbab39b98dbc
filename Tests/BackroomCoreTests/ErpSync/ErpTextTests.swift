import BackroomCore
import Foundation
import Testing

struct ErpTextTests {
    static let culture = ErpCulture(language: .en, culture: nil, timeZone: TimeZone(identifier: "UTC")!)

    static let everyText: [ErpText] =
        [
            .stopped, .waitingForFirstRound, .idleSince(millis: 0), .syncing(name: "A", index: 1, count: 2),
            .lastRound(millis: 0, connections: 1, changes: 2, errors: 3), .failedConnections("A, B"),
            .roundDone(connections: 1, changes: 2, errors: 3), .roundNotRun,
            .roundRequested, .authenticationRequired, .lacksRight(user: "u", right: "erpsync"),
            .xsrfMissing, .unknownMethod("M"), .notAcceptable("text/html"), .unsupportedMediaType, .malformedBody,
            .mustBeBoolean(property: "Run"), .mustBeInteger(property: "Id"), .invalidInterval("x"),
            .unknownConnection(9), .bodyTooLarge, .internalError, .mustBeObject(property: "Connection"), .mustBeText(property: "Url"),
            .visitOrder("A, B"),
            .connectionDeleted(3), .unknownConnector(9), .connectorFixed(1), .connectorInUse(101), .centralLinkMadeByServer, .connectorChanged,
            .fieldName("folder"), .fieldName("batchSize"), .settingProblem(.missing(field: "folder")), .settingProblem(.unknown(field: "x")),
            .settingProblem(.tooLong(field: "folder", maxLength: 9)), .settingProblem(.notInteger(field: "batchSize", range: 1...9)),
            .settingProblem(.notHTTPURL(field: "URL")), .resyncFilesAll, .resyncFilesSome(2), .resyncHTTPAll, .resyncHTTPSome(2),
            .resyncStore("NORTE"), .resyncFromCentral,
        ] + ["serverKey", "url", "folder", "token", "batchSize", "timeoutSeconds"].map(ErpText.fieldDescription)
        + ConnectorKind.allCases.flatMap { [ErpText.connectorName($0), .connectorToolTip($0), .connectionDescription($0, target: "T")] }

    @Test func everyTextIsWrittenInEveryLanguage() {
        for text in Self.everyText {
            let english = text.text(in: .en, culture: Self.culture)
            #expect(!english.isEmpty && !english.contains("%"), "\(text)")
            let translated = ErpLanguage.allCases.filter { $0 != .en }.filter { text.text(in: $0, culture: Self.culture) != english }
            // Names such as ERP-filer are alike in the Nordic languages, but no text is English in all.
            #expect(translated.count >= 3, "\(text) is left in English")
        }
    }

    @Test func argumentsFillTheirPlacesOnceEvenWhenTheyLookLikePlaces() {
        #expect(ErpText.syncing(name: "%2 store", index: 2, count: 5).text(in: .en, culture: Self.culture) == "Syncing %2 store (2 of 5).")
        #expect(ErpText.syncing(name: "NORTE", index: 2, count: 5).text(in: .sv, culture: Self.culture) == "Synkar NORTE (2 av 5).")
    }

    @Test func aCountOfOneTakesTheSingular() {
        #expect(
            ErpText.roundDone(connections: 1, changes: 0, errors: 1).text(in: .en, culture: Self.culture)
                == "Round done: 1 connection, 0 changes, 1 error."
        )
        #expect(
            ErpText.roundDone(connections: 2, changes: 1, errors: 0).text(in: .sv, culture: Self.culture)
                == "Omgången klar: 2 anslutningar, 1 ändring, 0 fel."
        )
        let german = ErpCulture(language: .de, culture: nil, timeZone: TimeZone(identifier: "UTC")!)
        #expect(
            ErpText.lastRound(millis: 0, connections: 1, changes: 12_345, errors: 2).text(in: .de, culture: german)
                .hasSuffix(": 1 Verbindung, 12.345 Änderungen, 2 Fehler.")
        )
        #expect(
            ErpText.roundDone(connections: 1, changes: 2, errors: 2).text(in: .nl, culture: Self.culture)
                == "Ronde klaar: 1 verbinding, 2 wijzigingen, 2 fouten."
        )
    }

    @Test func numbersAndDatesFollowTheCulture() {
        let german = ErpCulture(language: .de, culture: nil, timeZone: TimeZone(identifier: "Europe/Berlin")!)
        #expect(german.number(12_345) == "12.345")
        #expect(german.dateTime(millis: 1_764_000_000_000).hasPrefix("24.11.25"))
        let swedishInUS = ErpCulture(language: .sv, culture: "en-US", timeZone: TimeZone(identifier: "UTC")!)
        #expect(swedishInUS.number(12_345) == "12,345")
        let noLanguage = ErpCulture(language: nil, culture: "de", timeZone: TimeZone(identifier: "UTC")!)
        #expect(noLanguage.number(12_345) == "12,345", "SO-Culture is ignored without a language")
    }
}
