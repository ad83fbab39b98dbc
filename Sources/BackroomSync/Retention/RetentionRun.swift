import BackroomCore
import BackroomStorage
import Logging
import Metrics

/// One pass of retention (`RetentionPolicy`): finished reservations past their retention, and
/// each origin's movements past theirs that every consumer has, in small transactions so that no
/// write waits long behind it. What it deleted is counted in `/metrics` and written to the audit log.
public struct RetentionRun: Sendable {
    /// Rows per transaction: on SQLite the writer is held for a few milliseconds at a time.
    static let batch = 500
    /// How often a server runs it: what it finds is at most an hour older than the policy says.
    public static let period = Duration.seconds(3600)

    public struct Report: Sendable, Equatable {
        public var reservations = 0
        public var movements = 0

        public var isEmpty: Bool { reservations == 0 && movements == 0 }
    }

    let storage: any RetentionStore & ReplicationStore & PreferenceStore & AuditStore
    let engine: SyncEngine
    let clock: BackroomClock
    let logger: Logger

    public init(
        storage: any RetentionStore & ReplicationStore & PreferenceStore & AuditStore,
        engine: SyncEngine,
        clock: BackroomClock,
        logger: Logger
    ) {
        self.storage = storage
        self.engine = engine
        self.clock = clock
        self.logger = logger
    }

    @discardableResult
    public func run() async throws -> Report {
        let now = clock.nowMillis()
        let policy = RetentionPolicy(
            finishedReservationDays: try await preference(.finishedReservationRetention),
            movementDays: try await preference(.movementRetention)
        )
        var report = Report()
        report.reservations = try await deleteFinishedReservations(before: policy.finishedReservationCutoff(at: now))
        report.movements = try await deleteMovements(
            before: policy.movementCutoff(at: now),
            consumers: try await engine.movementConsumers(under: policy, at: now)
        )
        guard !report.isEmpty else { return report }
        Counter(label: "backroom_retention_deleted_total", dimensions: [("rows", "reservations")]).increment(by: report.reservations)
        Counter(label: "backroom_retention_deleted_total", dimensions: [("rows", "movements")]).increment(by: report.movements)
        try await storage.recordAudit(
            .new(
                at: clock.nowMillis(),
                actor: "backroom",
                channel: .server,
                origin: "local",
                action: "retention.delete",
                target: "history",
                detail: .object([
                    "finishedReservations": .integer(Int64(report.reservations)), "movements": .integer(Int64(report.movements)),
                    "finishedReservationDays": .integer(Int64(policy.finishedReservationDays)),
                    "movementDays": .integer(Int64(policy.movementDays)),
                ])
            )
        )
        logger.notice(
            "retention deleted what is no longer kept",
            metadata: ["reservations": "\(report.reservations)", "movements": "\(report.movements)"]
        )
        return report
    }

    private func preference(_ preference: Preference) async throws -> Int {
        preference.effectiveValue(stored: try await storage.storedPreference(preference))
    }

    private func deleteFinishedReservations(before cutoff: Int64) async throws -> Int {
        var deleted = 0
        var after: Int64 = 0
        while !Task.isCancelled {
            let sweep = try await storage.deleteFinishedReservations(after: after, limit: Self.batch, finishedBefore: cutoff)
            deleted += sweep.deleted
            guard !sweep.done, let walked = sweep.walkedThrough else { break }
            after = walked
        }
        return deleted
    }

    private func deleteMovements(before cutoff: Int64, consumers: [MovementRetention.Consumer]) async throws -> Int {
        let horizons = try await storage.movementHorizons()
        let bounds = MovementRetention.bounds(of: Array(horizons.keys), consumers: consumers)
        var deleted = 0
        for origin in horizons.keys.sorted() {
            while !Task.isCancelled {
                let oldest = try await storage.oldestMovements(of: origin, limit: Self.batch)
                guard
                    let through = MovementRetention.deletableThrough(
                        oldest.map { ($0.sequence, $0.recordedAt) },
                        cutoff: cutoff,
                        bound: bounds[origin] ?? nil
                    )
                else { break }
                deleted += try await storage.deleteMovements(of: origin, through: through)
                guard through == oldest.last?.sequence, oldest.count == Self.batch else { break }
            }
        }
        return deleted
    }
}
