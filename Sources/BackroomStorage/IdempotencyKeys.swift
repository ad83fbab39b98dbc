import BackroomCore
import Foundation

/// How answers to idempotency keys are kept: for 24 hours, as JSON, per scope (the kind of
/// request), so that a key reused for another kind of request is a different key.
enum IdempotencyKeys {
    static let retentionMillis: Int64 = 24 * 3600 * 1000

    enum Scope: String {
        case reservation
        case movements
    }

    /// An earlier answer to a key, with the canonical request it answered.
    struct Stored {
        let request: String
        let answer: String

        func decoded<Answer: Decodable>(as type: Answer.Type) throws -> Answer {
            try JSONDecoder().decode(Answer.self, from: Data(answer.utf8))
        }
    }

    static func encode(_ answer: some Encodable) throws -> String {
        String(decoding: try JSONEncoder().encode(answer), as: UTF8.self)
    }
}
