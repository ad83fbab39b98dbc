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
