/// The states the admin API lists reservations by. `expired` is not stored: it is an active
/// reservation whose time has passed (`Reservation.isExpired`), so a listing asks the stored
/// state and which side of `now` its end lies.
public enum ReservationListState: String, Sendable, CaseIterable {
    case active, expired, committed, cancelled

    public enum Validity: Sendable, Equatable {
        /// `validUntil` after now.
        case running
        /// `validUntil` at or before now.
        case ended
        case any
    }

    public var stored: ReservationState {
        switch self {
        case .active, .expired: .active
        case .committed: .committed
        case .cancelled: .cancelled
        }
    }

    public var validity: Validity {
        switch self {
        case .active: .running
        case .expired: .ended
        case .committed, .cancelled: .any
        }
    }

    /// How a reservation reads in a listing at `now`.
    public init(_ reservation: Reservation, at now: Int64) {
        switch reservation.state {
        case .active: self = reservation.isExpired(at: now) ? .expired : .active
        case .committed: self = .committed
        case .cancelled: self = .cancelled
        }
    }
}
