/// One thing a client asks of the reservation service that changes state. Commands are planned
/// in batches that share one database transaction (group commit).
public enum ReservationCommand: Sendable, Equatable {
    case create(shop: Int, request: ReservationRequest, idempotency: IdempotencyClaim?)
    case change(id: Int64, ReservationChange)
    case cancel(id: Int64)
    case commit(id: Int64)

    var reservationID: Int64? {
        switch self {
        case .create: nil
        case .change(let id, _), .cancel(let id), .commit(let id): id
        }
    }
}

/// An `Idempotency-Key` as one user sent it: keys of different users never collide.
public struct IdempotencyClaim: Hashable, Sendable {
    public static let maximumLength = 255

    public let userID: Int64
    public let key: String

    public init(userID: Int64, key: String) {
        self.userID = userID
        self.key = key
    }
}

/// An idempotency key and the canonical form of the request it was first sent with.
public struct IdempotentRequest: Sendable, Equatable {
    public let claim: IdempotencyClaim
    public let request: String

    public init(claim: IdempotencyClaim, request: String) {
        self.claim = claim
        self.request = request
    }
}

extension IdempotentRequest {
    /// An earlier answer to this key, given again when the request is the same; nil when the key
    /// came with another request (refused as reused).
    public func replay<Answer>(_ earlier: (request: String, answer: Answer)) -> Answer? {
        earlier.request == request ? earlier.answer : nil
    }
}

/// What a created reservation looked like when it was first answered: what a replayed
/// `Idempotency-Key` answers again.
public struct ReservationSnapshot: Sendable, Equatable, Codable {
    public let id: Int64
    public let validUntil: Int64
    public let lines: [ReservationLine]

    public init(id: Int64, validUntil: Int64, lines: [ReservationLine]) {
        self.id = id
        self.validUntil = validUntil
        self.lines = lines
    }
}

/// Why a command was refused. Each maps to one coded exception of the reservation service.
public enum ReservationFailure: Error, Sendable, Equatable {
    public struct Shortage: Sendable, Equatable {
        public let product: String
        public let requested: Int64
        public let available: Int64

        public init(product: String, requested: Int64, available: Int64) {
            self.product = product
            self.requested = requested
            self.available = available
        }
    }

    case notEnoughStock([Shortage])
    case unknownProducts([String])
    case noSuchReservation(Int64)
    case expired(Int64)
    /// Committed: turned into a sale, so it is gone for the reservation service.
    case committed(Int64)
    case noSuchShop(Int)
    case idempotencyKeyReused
}
