import BackroomCore

/// How `backroom_reservations_total` names what a command was and how it ended.
extension ReservationCommand {
    var operationName: String {
        switch self {
        case .create: "create"
        case .change: "change"
        case .cancel: "cancel"
        case .commit: "commit"
        }
    }
}

extension ReservationFailure {
    var metricReason: String {
        switch self {
        case .notEnoughStock: "not_enough_stock"
        case .unknownProducts: "unknown_products"
        case .noSuchReservation: "no_such_reservation"
        case .expired: "expired"
        case .committed: "committed"
        case .noSuchShop: "no_such_shop"
        case .idempotencyKeyReused: "idempotency_key_reused"
        }
    }
}
