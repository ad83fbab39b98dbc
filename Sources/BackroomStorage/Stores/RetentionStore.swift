import BackroomCore

/// What the retention run deletes (`RetentionPolicy`), in small transactions so that no write
/// waits long behind it. Every method is one transaction, and returns only once it is durable.
public protocol RetentionStore: Sendable {
    /// Walks the reservations after `id` in the order they were made, at most `limit` of them,
    /// and deletes with their items those that finished before `cutoff`.
    func deleteFinishedReservations(after id: Int64, limit: Int, finishedBefore cutoff: Int64) async throws -> ReservationSweep
    /// An origin's oldest movements still held, in sequence order, with when each was recorded.
    func oldestMovements(of origin: ServerKey, limit: Int) async throws -> [(sequence: Int64, recordedAt: Int64)]
    /// Deletes an origin's movements through `sequence` and moves its horizon there; how many.
    func deleteMovements(of origin: ServerKey, through sequence: Int64) async throws -> Int
}

/// One step of the walk through the reservations.
public struct ReservationSweep: Sendable, Equatable {
    public let deleted: Int
    /// The last reservation walked that was made before the cutoff; the next step goes on after it.
    public let walkedThrough: Int64?
    /// Whether the walk reached reservations made after the cutoff, or the end: none of those
    /// can have finished before it, so the walk is over.
    public let done: Bool

    public init(deleted: Int, walkedThrough: Int64?, done: Bool) {
        self.deleted = deleted
        self.walkedThrough = walkedThrough
        self.done = done
    }
}

/// The condition both databases delete finished reservations by: committed or cancelled before
/// the cutoff, or expired before it (an active one past its end).
enum RetentionSQL {
    static func finished(before cutoff: Int64) -> String {
        let active = ReservationState.active.rawValue
        return "((state <> '\(active)' AND updated_at < \(cutoff)) OR (state = '\(active)' AND valid_until < \(cutoff)))"
    }
}
