import Hummingbird

/// A failure answered in the envelope shape, with `data: null`.
struct EnvelopeError: Error, Sendable {
    let status: HTTPResponse.Status
    let errors: [FieldProblem]
    let exceptions: [CodedProblem]

    init(_ status: HTTPResponse.Status, errors: [FieldProblem] = [], exceptions: [CodedProblem] = []) {
        self.status = status
        self.errors = errors
        self.exceptions = exceptions
    }

    static func field(_ field: String, _ message: String) -> EnvelopeError {
        EnvelopeError(.badRequest, errors: [FieldProblem(message: message, sourceField: field)])
    }

    static func coded(_ status: HTTPResponse.Status, code: String, _ message: String) -> EnvelopeError {
        EnvelopeError(status, exceptions: [CodedProblem(code: code, message: message)])
    }
}
