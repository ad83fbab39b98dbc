import Hummingbird

/// The answer shape of the reservation service, which Backroom's own `/api/v1` endpoints share:
/// `{"data": …, "statusCode": N, "errors": […], "exceptions": […]}`.
struct Envelope<Payload: Encodable & Sendable>: Encodable, Sendable {
    let data: Payload?
    let statusCode: Int
    let errors: [FieldProblem]?
    let exceptions: [CodedProblem]?

    static func success(_ data: Payload, status: HTTPResponse.Status = .ok, exceptions: [CodedProblem] = []) -> Envelope {
        Envelope(data: data, statusCode: Int(status.code), errors: [], exceptions: exceptions)
    }

    /// Encodes `null` for absent data explicitly: clients test `data === null`.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(data, forKey: .data)
        try container.encode(statusCode, forKey: .statusCode)
        try container.encode(errors, forKey: .errors)
        try container.encode(exceptions, forKey: .exceptions)
    }

    private enum CodingKeys: String, CodingKey {
        case data, statusCode, errors, exceptions
    }
}

/// A problem with one input field, e.g. `items[1].qty`.
struct FieldProblem: Codable, Sendable, Equatable {
    let message: String
    let sourceField: String
}

/// A coded business problem, e.g. `21001` not enough stock.
struct CodedProblem: Codable, Sendable, Equatable {
    let code: String
    let message: String
}
