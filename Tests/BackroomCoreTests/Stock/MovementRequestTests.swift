import BackroomCore
import Testing

struct MovementRequestTests {
    static func parse(_ text: String) throws -> [MovementRequest] {
        try MovementRequest.parseList(try JSONReader.read(Array(text.utf8)))
    }

    static func problems(_ text: String) throws -> [String] {
        do {
            _ = try parse(text)
            return []
        } catch let error as InvalidInput {
            return error.problems.map(\.field)
        }
    }

    @Test func everyReasonIsReadWithItsChange() throws {
        let movements = try Self.parse(
            """
            {"movements": [
                {"id": "First-Test", "qty": -2, "reason": "sale", "reference": "till-3/991"},
                {"id": "First-Test", "qty": "1", "reason": "return"},
                {"id": "Second-Test", "qty": 10, "reason": "receipt", "reference": null},
                {"id": "Second-Test", "counted": 7, "reason": "count"},
                {"id": "Sold-Out", "qty": "-3", "reason": "adjustment"}
            ]}
            """
        )
        #expect(
            movements == [
                MovementRequest(product: "First-Test", reason: .sale, change: .quantity(-2), reference: "till-3/991"),
                MovementRequest(product: "First-Test", reason: .return, change: .quantity(1), reference: nil),
                MovementRequest(product: "Second-Test", reason: .receipt, change: .quantity(10), reference: nil),
                MovementRequest(product: "Second-Test", reason: .count, change: .counted(7), reference: nil),
                MovementRequest(product: "Sold-Out", reason: .adjustment, change: .quantity(-3), reference: nil),
            ]
        )
    }

    @Test(arguments: [
        (#"{"movements": []}"#, ["movements"]),
        (#"[]"#, ["movements"]),
        (#"{"movements": [7]}"#, ["movements[0]"]),
        (#"{"movements": [{"id": "A", "qty": 2, "reason": "sale"}]}"#, ["movements[0].qty"]),
        (#"{"movements": [{"id": "A", "qty": -2, "reason": "return"}]}"#, ["movements[0].qty"]),
        (#"{"movements": [{"id": "A", "qty": 0, "reason": "adjustment"}]}"#, ["movements[0].qty"]),
        (#"{"movements": [{"id": "A", "qty": 1.5, "reason": "receipt"}]}"#, ["movements[0].qty"]),
        (#"{"movements": [{"id": "A", "qty": -1000000000001, "reason": "sale"}]}"#, ["movements[0].qty"]),
        (#"{"movements": [{"id": "A", "qty": "--1", "reason": "sale"}]}"#, ["movements[0].qty"]),
        (#"{"movements": [{"id": "A", "qty": 3, "reason": "count"}]}"#, ["movements[0].qty"]),
        (#"{"movements": [{"id": "A", "counted": -1, "reason": "count"}]}"#, ["movements[0].counted"]),
        (#"{"movements": [{"id": "A", "qty": -1, "reason": "theft"}]}"#, ["movements[0].reason"]),
        (#"{"movements": [{"id": "", "qty": -1, "reason": "sale", "reference": 5}]}"#, ["movements[0].id", "movements[0].reference"]),
    ])
    func badFieldsAreNamed(_ text: String, _ fields: [String]) throws {
        #expect(try Self.problems(text) == fields)
    }

    @Test func theCanonicalFormIgnoresSpellingButNotMeaning() throws {
        let numbers = try Self.parse(#"{"movements": [{"id": "A", "qty": -2, "reason": "sale"}]}"#)
        let digits = try Self.parse(#"{"movements": [{"reason": "sale", "qty": "-2", "id": "A"}]}"#)
        let other = try Self.parse(#"{"movements": [{"id": "A", "qty": -2, "reason": "adjustment"}]}"#)
        #expect(MovementRequest.canonicalForm(numbers) == MovementRequest.canonicalForm(digits))
        #expect(MovementRequest.canonicalForm(numbers) != MovementRequest.canonicalForm(other))
    }
}
