import BackroomCore
import Hummingbird

/// The answer shape of the reservation service, which Backroom's own `/api/v1` endpoints share:
/// `{"data": …, "statusCode": N, "errors": […], "exceptions": […]}`.
struct Envelope<Payload: JSONRepresentable & Sendable>: JSONRepresentable, Sendable {
    let data: Payload?
    let statusCode: Int
    let errors: [FieldProblem]?
    let exceptions: [CodedProblem]?
    /// A page of a list: where the next page starts, `null` after the last. Absent elsewhere.
    var next: JSONValue?

    static func success(_ data: Payload, status: HTTPResponse.Status = .ok, exceptions: [CodedProblem] = []) -> Envelope {
        Envelope(data: data, statusCode: Int(status.code), errors: [], exceptions: exceptions)
    }

    /// Writes `null` for absent data explicitly: clients test `data === null`.
    var json: JSONValue {
        var members: [String: JSONValue] = [
            "data": data?.json ?? .null,
            "statusCode": .integer(Int64(statusCode)),
            "errors": errors?.json ?? .null,
            "exceptions": exceptions?.json ?? .null,
        ]
        members["next"] = next
        return .object(members)
    }
}

/// A problem with one input field, e.g. `items[1].qty`.
struct FieldProblem: JSONRepresentable, Sendable, Equatable {
    let message: String
    let sourceField: String

    var json: JSONValue { .object(["message": .string(message), "sourceField": .string(sourceField)]) }
}

/// A coded business problem, e.g. `21001` not enough stock.
struct CodedProblem: JSONRepresentable, Sendable, Equatable {
    let code: String
    let message: String

    var json: JSONValue { .object(["code": .string(code), "message": .string(message)]) }
}
