import BackroomCore
import Hummingbird

/// A failure answered in the envelope shape, with `data: null`.
struct EnvelopeError: Error, Sendable {
    let status: HTTPResponse.Status
    /// nil only where a legacy answer writes `"errors": null`.
    let errors: [FieldProblem]?
    let exceptions: [CodedProblem]

    init(_ status: HTTPResponse.Status, errors: [FieldProblem]? = [], exceptions: [CodedProblem] = []) {
        self.status = status
        self.errors = errors
        self.exceptions = exceptions
    }

    static func field(_ field: String, _ message: String) -> EnvelopeError {
        EnvelopeError(.badRequest, errors: [FieldProblem(message: message, sourceField: field)])
    }

    static func fields(_ problems: [InputProblem]) -> EnvelopeError {
        EnvelopeError(.badRequest, errors: problems.map { FieldProblem(message: $0.message, sourceField: $0.field) })
    }

    /// The exact answer of the service Backroom is compatible with when the locks a change
    /// needs cannot be had in time; clients match on it.
    static let lockTimeout = EnvelopeError(
        .internalServerError,
        errors: nil,
        exceptions: [
            CodedProblem(
                code: "500",
                message:
                    "bakery.util.exception.TechnicalException: Technical error while working on object 'ReservationPersistenceBean': Unable to update reservation. Cannot get the necessary database lock to perform a concurrent safe inventory check."
            )
        ]
    )

    static func coded(_ status: HTTPResponse.Status, code: String, _ message: String) -> EnvelopeError {
        EnvelopeError(status, exceptions: [CodedProblem(code: code, message: message)])
    }
}
