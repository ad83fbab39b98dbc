/// Reads the shared shapes of the reservation service's input: whole numbers given either as
/// JSON numbers or as strings of digits.
enum InputReading {
    /// The number, or nil after noting what is wrong with it in `problems`.
    static func wholeNumber(
        _ value: JSONValue, field: String, in range: ClosedRange<Int64>, problems: inout [InputProblem]
    ) -> Int64? {
        let number: Int64?
        switch value {
        case .integer(let integer): number = integer
        case .string(let text) where !text.isEmpty && text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }): number = Int64(text)
        default: number = nil
        }
        guard let number, range.contains(number) else {
            problems.append(InputProblem(
                field: field,
                message: "\(field) must be a whole number from \(range.lowerBound) to \(range.upperBound), as a number or a string of digits"
            ))
            return nil
        }
        return number
    }

    /// A product id, or nil after noting what is wrong with it in `problems`.
    static func productID(_ value: JSONValue?, field: String, problems: inout [InputProblem]) -> String? {
        guard case .string(let text) = value, ProductID.isValid(text) else {
            problems.append(InputProblem(
                field: field, message: "\(field) must be a non-empty string of at most \(ProductID.maximumLength) characters"
            ))
            return nil
        }
        return text
    }
}
