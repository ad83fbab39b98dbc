import Metrics
import NIOConcurrencyHelpers

/// Whether this process holds the engine's lease, and so is the one process of those sharing
/// a database that does background work: rounds, and central's pings of its stores.
public final class EngineLeadership: Sendable {
    private let held = NIOLockedValueBox(false)

    public init() {}

    public var isHeld: Bool { held.withLockedValue { $0 } }

    /// Notes whether the lease is held now; returns whether it was before.
    func note(_ holding: Bool) -> Bool {
        // On /metrics, so that operators (and the fleet bench) can see that one process holds it.
        Gauge(label: "backroom_engine_leaseholder").record(holding ? 1 : 0)
        return held.withLockedValue { held in
            defer { held = holding }
            return held
        }
    }
}
