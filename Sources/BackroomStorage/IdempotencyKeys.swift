import BackroomCore
import Foundation

/// How answers to idempotency keys are kept: for 24 hours, as JSON.
enum IdempotencyKeys {
    static let retentionMillis: Int64 = 24 * 3600 * 1000
    static let reservationScope = "reservation"

    static func encode(_ answer: ReservationSnapshot) throws -> String {
        String(decoding: try JSONEncoder().encode(answer), as: UTF8.self)
    }

    static func decode(_ text: String) throws -> ReservationSnapshot {
        try JSONDecoder().decode(ReservationSnapshot.self, from: Data(text.utf8))
    }
}
