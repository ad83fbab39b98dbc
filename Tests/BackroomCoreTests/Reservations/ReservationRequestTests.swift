import BackroomCore
import Foundation
import Testing

struct ReservationRequestTests {
    static func json(_ text: String) throws -> JSONValue {
        try JSONReader.read(Array(text.utf8))
    }

    static func problems(_ text: String) throws -> [InputProblem] {
        let body = try json(text)
        do {
            _ = try ReservationRequest.parse(body)
            return []
        } catch {
            return error.problems
        }
    }

    @Test func theSeedExampleParses() throws {
        let request = try ReservationRequest.parse(
            try Self.json(#"{ "lifetime": 180, "type": "COMPLETE", "items": [ { "id": "First-Test", "qty": "2" } ] }"#)
        )
        #expect(request == ReservationRequest(lifetime: 180, type: .complete, lines: [ReservationLine(product: "First-Test", qty: 2)]))
    }

    @Test func defaultsApplyAndUnknownFieldsAreIgnored() throws {
        let request = try ReservationRequest.parse(try Self.json(#"{"items": [{"id": "A", "qty": 1, "note": "x"}], "channel": "web"}"#))
        #expect(request.lifetime == 600)
        #expect(request.type == .complete)
    }

    @Test func typeIsCaseInsensitiveAndLifetimeMayBeAString() throws {
        let request = try ReservationRequest.parse(try Self.json(#"{"lifetime": "30", "type": "partly", "items": [{"id": "A", "qty": 1}]}"#))
        #expect(request.type == .partly)
        #expect(request.lifetime == 30)
    }

    @Test func linesForTheSameProductAreAddedTogether() throws {
        let request = try ReservationRequest.parse(
            try Self.json(#"{"items": [{"id": "A", "qty": 1}, {"id": "B", "qty": 1}, {"id": "A", "qty": "2"}]}"#)
        )
        #expect(request.lines == [ReservationLine(product: "A", qty: 3), ReservationLine(product: "B", qty: 1)])
    }

    @Test(arguments: [
        (#"{"items": [{"id": "A", "qty": 0}]}"#, "items[0].qty"),
        (#"{"items": [{"id": "A", "qty": -1}]}"#, "items[0].qty"),
        (#"{"items": [{"id": "A", "qty": 1.5}]}"#, "items[0].qty"),
        (#"{"items": [{"id": "A", "qty": "1.5"}]}"#, "items[0].qty"),
        (#"{"items": [{"id": "A", "qty": " 2"}]}"#, "items[0].qty"),
        (#"{"items": [{"id": "A", "qty": 1000000001}]}"#, "items[0].qty"),
        (#"{"items": [{"id": "A", "qty": 99999999999999999999}]}"#, "items[0].qty"),
        (#"{"items": [{"id": "A", "qty": true}]}"#, "items[0].qty"),
        (#"{"items": [{"id": "A"}]}"#, "items[0].qty"),
        (#"{"items": [{"id": "", "qty": 1}]}"#, "items[0].id"),
        (#"{"items": [{"id": 7, "qty": 1}]}"#, "items[0].id"),
        (#"{"items": [{"qty": 1}]}"#, "items[0].id"),
        (#"{"items": [{"id": "A", "qty": 1}, "B"]}"#, "items[1]"),
        (#"{"items": []}"#, "items"),
        (#"{"items": {"id": "A", "qty": 1}}"#, "items"),
        (#"{"lifetime": 10}"#, "items"),
        (#"{"items": null}"#, "items"),
        (#"{"lifetime": 0, "items": [{"id": "A", "qty": 1}]}"#, "lifetime"),
        (#"{"lifetime": 2592001, "items": [{"id": "A", "qty": 1}]}"#, "lifetime"),
        (#"{"lifetime": "ten", "items": [{"id": "A", "qty": 1}]}"#, "lifetime"),
        (#"{"type": "SOME", "items": [{"id": "A", "qty": 1}]}"#, "type"),
        (#"{"type": 1, "items": [{"id": "A", "qty": 1}]}"#, "type"),
        (#"[1, 2]"#, "body"),
    ])
    func eachBrokenRuleNamesItsField(_ body: String, _ field: String) throws {
        #expect(try Self.problems(body).map(\.field) == [field])
    }

    @Test func anOverlongIDAndTooManyItemsAreRefused() throws {
        let long = String(repeating: "x", count: 256)
        #expect(try Self.problems(#"{"items": [{"id": "\#(long)", "qty": 1}]}"#).map(\.field) == ["items[0].id"])
        // 200 characters of two code points each: JSON Schema and PostgreSQL count 400.
        let combined = String(repeating: "e\u{301}", count: 200)
        #expect(combined.count == 200)
        #expect(try Self.problems(#"{"items": [{"id": "\#(combined)", "qty": 1}]}"#).map(\.field) == ["items[0].id"])
        let many = (0...1000).map { #"{"id": "P\#($0)", "qty": 1}"# }.joined(separator: ",")
        #expect(try Self.problems(#"{"items": [\#(many)]}"#).map(\.field) == ["items"])
        let most = (0..<1000).map { #"{"id": "P\#($0)", "qty": 1}"# }.joined(separator: ",")
        #expect(try Self.problems(#"{"items": [\#(most)]}"#).isEmpty)
    }

    @Test func everyProblemIsReportedAtOnce() throws {
        let problems = try Self.problems(#"{"lifetime": -5, "type": "ALL", "items": [{"id": "", "qty": 0}]}"#)
        #expect(problems.map(\.field) == ["lifetime", "type", "items[0].id", "items[0].qty"])
    }

    @Test func theCanonicalFormIgnoresSpelling() throws {
        let first = try ReservationRequest.parse(try Self.json(#"{"type": "partly", "items": [{"id": "A", "qty": "2"}]}"#))
        let second = try ReservationRequest.parse(
            try Self.json(#"{"type": "PARTLY", "lifetime": 600, "items": [{"id": "A", "qty": 1}, {"id": "A", "qty": 1}]}"#)
        )
        let third = try ReservationRequest.parse(try Self.json(#"{"type": "PARTLY", "items": [{"id": "A", "qty": 3}]}"#))
        #expect(first.canonicalForm == second.canonicalForm)
        #expect(first.canonicalForm != third.canonicalForm)
    }
}

struct ReservationChangeTests {
    @Test func zeroQuantitiesAreAllowedAndSomethingMustChange() throws {
        let change = try ReservationChange.parse(try ReservationRequestTests.json(#"{"items": [{"id": "A", "qty": 0}]}"#))
        #expect(change.lines == [ReservationLine(product: "A", qty: 0)])
        #expect(change.lifetime == nil)
        #expect(throws: InvalidInput.self) { try ReservationChange.parse(try ReservationRequestTests.json(#"{"type": "PARTLY"}"#)) }
        #expect(throws: InvalidInput.self) { try ReservationChange.parse(try ReservationRequestTests.json(#"{"lifetime": 0}"#)) }
        #expect(throws: InvalidInput.self) { try ReservationChange.parse(try ReservationRequestTests.json(#"{"lifetime": null, "items": null}"#)) }
    }
}

struct ValidityWindowTests {
    @Test func validUntilIsTheNearestWholeSecond() {
        #expect(ValidityWindow.validUntil(now: 1_000_400, lifetime: 1) == 1_001_000)
        #expect(ValidityWindow.validUntil(now: 1_000_600, lifetime: 1) == 1_002_000)
        #expect(ValidityWindow.validUntil(now: 1_000_000, lifetime: 600) == 1_600_000)
    }
}

struct LocalTimestampTests {
    @Test func formatsUTCAndOffsets() {
        #expect(LocalTimestamp.format(millis: 0, offsetSeconds: 0) == "1970-01-01 00:00:00")
        #expect(LocalTimestamp.format(millis: 1_452_179_016_000, offsetSeconds: 0) == "2016-01-07 15:03:36")
        #expect(LocalTimestamp.format(millis: 1_452_179_016_999, offsetSeconds: 3600) == "2016-01-07 16:03:36")
        #expect(LocalTimestamp.format(millis: 1_709_251_199_000, offsetSeconds: 0) == "2024-02-29 23:59:59")
        #expect(LocalTimestamp.format(millis: 0, offsetSeconds: -3600) == "1969-12-31 23:00:00")
    }

    @Test func writesISO8601WithItsOffset() {
        #expect(LocalTimestamp.iso8601(millis: 1_764_000_000_000, offsetSeconds: 0) == "2025-11-24T16:00:00Z")
        #expect(LocalTimestamp.iso8601(millis: 1_764_000_000_000, offsetSeconds: 3600) == "2025-11-24T17:00:00+01:00")
        #expect(LocalTimestamp.iso8601(millis: 1_764_000_000_000, offsetSeconds: -12_600) == "2025-11-24T12:30:00-03:30")
        #expect(LocalTimestamp.iso8601(millis: 1_764_000_000_000, offsetSeconds: 20_700) == "2025-11-24T21:45:00+05:45")
    }
}
