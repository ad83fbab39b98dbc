import BackroomCore

/// The reservation service's request bodies, with the bounds the core checks: a body the
/// schema refuses is one the service refuses (400), which schemathesis verifies.
enum OpenAPIReservationSchemas {
    static var all: [String: JSONValue] {
        ["reservationRequest": request, "reservationChange": change]
    }

    /// Create: `items` required; `lifetime` and `type` optional, null meaning absent.
    static let request = object(
        required: ["items"],
        ["lifetime": nullable(wholeNumber(ReservationRequest.lifetimeRange)), "type": nullable(type), "items": items(lowestQty: 1)]
    )

    /// Change: `lifetime`, `items` or both; a quantity of 0 removes a line.
    static let change: JSONValue = {
        guard
            case .object(var members) = object(
                required: [],
                ["lifetime": nullable(wholeNumber(ReservationRequest.lifetimeRange)), "type": nullable(type), "items": nullable(items(lowestQty: 0))]
            )
        else { return .null }
        let notNull = JSONValue.object(["not": .type("null")])
        members["anyOf"] = .array(
            ["lifetime", "items"].map { name in
                .object(["required": .array([.string(name)]), "properties": .object([name: notNull])])
            }
        )
        return .object(members)
    }()

    private static func object(required: [String], _ properties: [String: JSONValue]) -> JSONValue {
        var members: [String: JSONValue] = ["type": .string("object"), "properties": .object(properties)]
        if !required.isEmpty { members["required"] = .array(required.map { .string($0) }) }
        return .object(members)
    }

    private static func nullable(_ schema: JSONValue) -> JSONValue {
        .object(["oneOf": .array([.type("null"), schema])])
    }

    /// A JSON number or a string of digits.
    private static func wholeNumber(_ range: ClosedRange<Int64>) -> JSONValue {
        .object([
            "oneOf": .array([
                .object(["type": .string("integer"), "minimum": .integer(range.lowerBound), "maximum": .integer(range.upperBound)]),
                .object(["type": .string("string"), "pattern": .string("^[0-9]+$")]),
            ])
        ])
    }

    /// `COMPLETE` or `PARTLY`, in any case.
    private static let type = JSONValue.object([
        "type": .string("string"),
        "pattern": .string("^(" + ReservationType.allCases.map { caseless($0.rawValue) }.joined(separator: "|") + ")$"),
    ])

    private static func caseless(_ word: String) -> String {
        word.map { "[\($0.uppercased())\($0.lowercased())]" }.joined()
    }

    private static func items(lowestQty: Int64) -> JSONValue {
        .object([
            "type": .string("array"),
            "minItems": .integer(Int64(ReservationRequest.itemCountRange.lowerBound)),
            "maxItems": .integer(Int64(ReservationRequest.itemCountRange.upperBound)),
            "items": object(
                required: ["id", "qty"],
                [
                    "id": .object(["type": .string("string"), "minLength": .integer(1), "maxLength": .integer(Int64(ProductID.maximumLength))]),
                    "qty": wholeNumber(lowestQty...ReservationRequest.maximumQty),
                ]
            ),
        ])
    }
}
