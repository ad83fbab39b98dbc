/// A product in a shop: the unit stock is kept, locked and reserved by.
public struct ProductKey: Hashable, Sendable, Comparable {
    public let shop: Int
    public let product: String

    public init(shop: Int, product: String) {
        self.shop = shop
        self.product = product
    }

    /// The one order in which products are locked everywhere, so that no two writers deadlock.
    public static func < (lhs: ProductKey, rhs: ProductKey) -> Bool {
        if lhs.shop != rhs.shop { return lhs.shop < rhs.shop }
        return lhs.product.utf8.lexicographicallyPrecedes(rhs.product.utf8)
    }
}

/// What is known of a product's stock when a batch starts.
public struct ProductStock: Sendable, Equatable {
    public var onHand: Int64
    public var blocked: Int64
    /// Held by reservations that are active and not yet expired.
    public var reserved: Int64
    /// When on hand or blocked last changed, milliseconds since 1970 (0: not known).
    public var modifiedAt: Int64

    public init(onHand: Int64, blocked: Int64, reserved: Int64, modifiedAt: Int64 = 0) {
        self.onHand = onHand
        self.blocked = blocked
        self.reserved = reserved
        self.modifiedAt = modifiedAt
    }

    /// Available to promise. A stock count can leave on hand below what is reserved; what is
    /// promised then is nothing, never a negative amount.
    public var available: Int64 { max(0, onHand - blocked - reserved) }

    /// The original ATP service's three words for a product's availability.
    public var availability: Availability {
        if onHand - blocked <= 0 { return .soldOut }
        return available > 0 ? .available : .temporarilyNotAvailable
    }

    public enum Availability: String, Sendable {
        case available
        /// Reservations hold what is there: it comes back when they expire or are cancelled.
        case temporarilyNotAvailable = "temporarily not available"
        case soldOut = "sold out"
    }
}

public enum ReservationState: String, Sendable, Equatable {
    case active
    case committed
    case cancelled
}

/// A reservation as it is stored.
public struct Reservation: Sendable, Equatable {
    public let id: Int64
    public let shop: Int
    public var type: ReservationType
    public var state: ReservationState
    /// Seconds the reservation was asked to live for, kept to reserve an expired one anew.
    public var lifetime: Int64
    /// Milliseconds since 1970, always a whole second.
    public var validUntil: Int64
    public var lines: [ReservationLine]

    public init(
        id: Int64,
        shop: Int,
        type: ReservationType,
        state: ReservationState,
        lifetime: Int64,
        validUntil: Int64,
        lines: [ReservationLine]
    ) {
        self.id = id
        self.shop = shop
        self.type = type
        self.state = state
        self.lifetime = lifetime
        self.validUntil = validUntil
        self.lines = lines
    }

    /// Expiry is a matter of the clock alone: no sweeper has to run for a reservation to stop
    /// counting the instant `validUntil` passes.
    public func isExpired(at now: Int64) -> Bool {
        state == .active && validUntil <= now
    }

    public func holdsStock(at now: Int64) -> Bool {
        state == .active && validUntil > now
    }

    /// How an item of this reservation reads to a client at `now`: the original's schema
    /// knows `reserved` and `expired` only (a committed or cancelled one is not shown at all).
    public func itemState(at now: Int64) -> ItemState {
        holdsStock(at: now) ? .reserved : .expired
    }

    public enum ItemState: String, Sendable {
        case reserved, expired
    }
}

/// When a reservation made at `now` for `lifetime` seconds ends: rounded to the whole second
/// that clients are shown, so the shown time is exactly when it stops counting.
public enum ValidityWindow {
    public static func validUntil(now: Int64, lifetime: Int64) -> Int64 {
        let end = now + lifetime * 1000
        return (end + 500) / 1000 * 1000
    }
}
