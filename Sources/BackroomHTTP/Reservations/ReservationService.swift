import BackroomCore
import BackroomStorage
import ServiceLifecycle

/// Central's reservations: every change goes through one group-commit queue, so concurrent
/// requests share durable commits; each operation answers its own type, and a refusal is thrown
/// as the `ReservationFailure` it is.
final class ReservationService: Service {
    private let queue: GroupCommit<ReservationCommand, ReservationResult>

    init(storage: any Database & ReservationStore, origin: ServerKey, clock: BackroomClock) {
        queue = GroupCommit(writers: storage.concurrentWriters) { commands in
            try await storage.applyReservations(commands, at: clock.nowMillis(), origin: origin)
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
        let result = try await queue.submit(command)
        if case .failed(let failure) = result { throw failure }
        return result
    }
}
