import BackroomCore
import NIOConcurrencyHelpers

/// The last hour of what the console draws, kept in this process: reservations granted and
/// refused per minute, batches lost to a lock time-out, and each store's replication lag; and
/// what waits for each store as last counted. What Prometheus keeps for longer goes to
/// `/metrics`; the hour is only for people at the console.
final class RecentFigures: Sendable {
    private struct Figures {
        var granted = MinuteSeries()
        var refused = MinuteSeries()
        var lockTimeouts = MinuteSeries()
        var lag: [ServerKey: MinuteSeries] = [:]
        var backlogs: [ServerKey: RegisteredServer.Waiting] = [:]
    }

    /// The hour ending now, oldest minute first.
    struct Reservations: Sendable {
        let granted: [Double]
        let refused: [Double]
        let lockTimeouts: Double
    }

    private let figures = NIOLockedValueBox(Figures())
    private let clock: BackroomClock

    init(clock: BackroomClock) {
        self.clock = clock
    }

    /// `outcome` as `ReservationInstruments` counts it.
    func countReservation(_ outcome: String) {
        let now = clock.nowMillis()
        figures.withLockedValue { figures in
            switch outcome {
            case "granted": figures.granted.add(1, at: now)
            case "failed": figures.lockTimeouts.add(1, at: now)
            default: figures.refused.add(1, at: now)
            }
        }
    }

    /// What waits for every store there is now; stores no longer registered are forgotten.
    func recordBacklogs(_ backlogs: [ServerKey: RegisteredServer.Waiting]) {
        let now = clock.nowMillis()
        figures.withLockedValue { figures in
            figures.backlogs = backlogs
            figures.lag = figures.lag.filter { backlogs[$0.key] != nil }
            for (store, waiting) in backlogs { figures.lag[store, default: MinuteSeries()].record(waiting.lagSeconds, at: now) }
        }
    }

    /// What waits for each store, as last counted.
    func backlogs() -> [ServerKey: RegisteredServer.Waiting] {
        figures.withLockedValue(\.backlogs)
    }

    func reservations() -> Reservations {
        let now = clock.nowMillis()
        return figures.withLockedValue { figures in
            Reservations(
                granted: figures.granted.lastHour(endingAt: now).map { $0 ?? 0 },
                refused: figures.refused.lastHour(endingAt: now).map { $0 ?? 0 },
                lockTimeouts: figures.lockTimeouts.total(endingAt: now)
            )
        }
    }

    /// A store's lag over the hour, minute by minute; nil for a minute it was not sampled.
    func lag(of store: ServerKey) -> [Double?] {
        let now = clock.nowMillis()
        return figures.withLockedValue { $0.lag[store]?.lastHour(endingAt: now) } ?? Array(repeating: nil, count: MinuteSeries.minutes)
    }
}
