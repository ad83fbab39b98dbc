/// Reads the shared shapes of the reservation service's input: whole numbers given either as
/// JSON numbers or as strings of digits.
enum InputReading {
    /// The number, or nil after noting what is wrong with it in `problems`.
    static func wholeNumber(
        _ value: JSONValue,
        field: String,
        in range: ClosedRange<Int64>,
        problems: inout [InputProblem]
    ) -> Int64? {
        let number: Int64?
        switch value {
        case .integer(let integer): number = integer
        case .string(let text) where !text.isEmpty && text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }): number = Int64(text)
        default: number = nil
        }
        guard let number, range.contains(number) else {
            problems.append(InputProblem(field: field, message: rangeMessage(field, range)))
            return nil
        }
        return number
    }

    /// A whole number that may be negative: a JSON number, or a string of digits with an
    /// optional leading minus.
    static func signedWholeNumber(
        _ value: JSONValue,
        field: String,
        in range: ClosedRange<Int64>,
        problems: inout [InputProblem]
    ) -> Int64? {
        if case .string(let text) = value, text.hasPrefix("-") {
            var ignored: [InputProblem] = []
            if let magnitude = wholeNumber(.string(String(text.dropFirst())), field: field, in: 0...(-range.lowerBound), problems: &ignored),
                range.contains(-magnitude)
            {
                return -magnitude
            }
            problems.append(InputProblem(field: field, message: rangeMessage(field, range)))
            return nil
        }
        var ignored: [InputProblem] = []
        guard let number = wholeNumber(value, field: field, in: range, problems: &ignored) else {
            problems.append(InputProblem(field: field, message: rangeMessage(field, range)))
            return nil
        }
        return number
    }

    private static func rangeMessage(_ field: String, _ range: ClosedRange<Int64>) -> String {
        "\(field) must be a whole number from \(range.lowerBound) to \(range.upperBound), as a number or a string of digits"
    }

    /// A product id, or nil after noting what is wrong with it in `problems`.
    static func productID(_ value: JSONValue?, field: String, problems: inout [InputProblem]) -> String? {
        guard case .string(let text) = value, ProductID.isValid(text) else {
            problems.append(
                InputProblem(
                    field: field,
                    message: "\(field) must be a non-empty string of at most \(ProductID.maximumLength) characters"
                )
            )
            return nil
        }
        return text
    }
}
