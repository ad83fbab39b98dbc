import BackroomCore
import BackroomStorage
import ServiceLifecycle

/// Central's reservations: every change goes through one group-commit queue, so concurrent
/// requests share durable commits; each operation answers its own type, and a refusal is thrown
/// as the `ReservationFailure` it is.
final class ReservationService: Service {
    private let queue: GroupCommit<ReservationCommand, ReservationResult>
    private let instruments: ReservationInstruments

    init(storage: any Database & ReservationStore, origin: ServerKey, figures: RecentFigures, clock: BackroomClock) {
        let instruments = ReservationInstruments(figures: figures)
        self.instruments = instruments
        queue = GroupCommit(writers: storage.concurrentWriters) { commands in
            let started = clock.now
            let results = try await storage.applyReservations(commands, at: clock.nowMillis(), origin: origin)
            instruments.recordCommit(of: commands.count, took: started.duration(to: clock.now))
            return results
        }
    }

    func run() async throws {
        try await queue.run()
    }

    /// The reservation as created, or as first answered to the same idempotency key.
    func create(shop: Int, _ request: ReservationRequest, idempotency: IdempotencyClaim?) async throws -> ReservationSnapshot {
        switch try await submit(.create(shop: shop, request: request, idempotency: idempotency)) {
        case .created(let snapshot), .replayed(let snapshot): return snapshot
        case let other: preconditionFailure("a create was answered \(other)")
        }
    }

    func change(id: Int64, _ change: ReservationChange) async throws -> (reservation: Reservation, wasExpired: Bool) {
        guard case .changed(let reservation, let wasExpired) = try await submit(.change(id: id, change)) else {
            preconditionFailure("a change was answered otherwise")
        }
        return (reservation, wasExpired)
    }

    func cancel(id: Int64) async throws {
        guard case .cancelled = try await submit(.cancel(id: id)) else { preconditionFailure("a cancel was answered otherwise") }
    }

    func commit(id: Int64) async throws {
        guard case .committed = try await submit(.commit(id: id)) else { preconditionFailure("a commit was answered otherwise") }
    }

    private func submit(_ command: ReservationCommand) async throws -> ReservationResult {
        let result: ReservationResult
        do {
            result = try await queue.submit(command)
        } catch {
            // The batch as a whole failed (a lock time-out): counted as what it is.
            instruments.count(command, "failed")
            throw error
        }
        let outcome = if case .failed(let failure) = result { failure.metricReason } else { "granted" }
        instruments.count(command, outcome)
        if case .failed(let failure) = result { throw failure }
        return result
    }
}
