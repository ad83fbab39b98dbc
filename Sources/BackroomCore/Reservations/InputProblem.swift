/// A problem with one input field, named the way clients name it: `items[1].qty`.
public struct InputProblem: Sendable, Equatable {
    public let field: String
    public let message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}

/// Everything wrong with one request's input.
public struct InvalidInput: Error, Sendable, Equatable {
    public let problems: [InputProblem]

    public init(problems: [InputProblem]) {
        self.problems = problems
    }
}

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
}
