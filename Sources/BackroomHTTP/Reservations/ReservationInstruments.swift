import BackroomCore
import Metrics

/// What operators watch of the reservation service: every command by operation and outcome,
/// and the group commit's batch sizes and commit times, and the last hour of outcomes for the
/// console. Made once, when the service is: the write path only reads them.
struct ReservationInstruments: Sendable {
    static let operations = ["create", "change", "cancel", "commit"]
    /// `granted`, each refusal's reason, and `failed` for a batch that failed as a whole.
    static let outcomes = [
        "granted", "failed", "not_enough_stock", "unknown_products", "no_such_reservation", "expired", "committed", "no_such_shop",
        "idempotency_key_reused",
    ]

    private let commands: [String: Counter]
    let batchSize = Recorder(label: "backroom_reservation_batch_size", aggregate: true)
    let commit = Timer(label: "backroom_reservation_commit_seconds", preferredDisplayUnit: .seconds)

    private let figures: RecentFigures

    init(figures: RecentFigures) {
        self.figures = figures
        var commands: [String: Counter] = [:]
        for operation in Self.operations {
            for outcome in Self.outcomes {
                commands["\(operation)/\(outcome)"] = Counter(
                    label: "backroom_reservations_total",
                    dimensions: [("operation", operation), ("outcome", outcome)]
                )
            }
        }
        self.commands = commands
    }

    func count(_ command: ReservationCommand, _ outcome: String) {
        commands["\(command.operationName)/\(outcome)"]?.increment()
        figures.countReservation(outcome)
    }

    func recordCommit(of size: Int, took elapsed: Duration) {
        batchSize.record(size)
        commit.recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
    }
}

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
    /// The outcome it is counted under: one of `ReservationInstruments.outcomes`.
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
