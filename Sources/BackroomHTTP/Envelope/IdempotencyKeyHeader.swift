import BackroomCore
import HTTPTypes
import Hummingbird

extension HTTPField.Name {
    static let idempotencyKey = Self("Idempotency-Key")!
}

extension Request {
    /// The caller's `Idempotency-Key`, if it sent one; 400 when it is empty or too long.
    func idempotencyClaim(for principal: Principal) throws -> IdempotencyClaim? {
        guard let key = headers[.idempotencyKey] else { return nil }
        guard !key.isEmpty, key.count <= IdempotencyClaim.maximumLength else {
            throw EnvelopeError.field(
                "Idempotency-Key",
                "The Idempotency-Key header must be 1 to \(IdempotencyClaim.maximumLength) characters"
            )
        }
        return IdempotencyClaim(userID: principal.userID, key: key)
    }
}
