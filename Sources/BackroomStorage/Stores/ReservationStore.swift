import BackroomCore

/// Central's reservations: batches of commands planned and stored in one transaction each.
/// Every method is one transaction, and returns only once it is durable.
public protocol ReservationStore: Sendable {
    /// Plans and stores a batch of reservation commands in one transaction, under locks taken
    /// in one global order, and returns one result per command. Throws
    /// `StorageError.lockTimeout` when the locks are not had within the preference
    /// `reservation.lockTimeoutMillis`.
    func applyReservations(_ commands: [ReservationCommand], at now: Int64, origin: ServerKey) async throws -> [ReservationResult]
    func reservation(id: Int64) async throws -> Reservation?
    /// The reservations of `shop` (in `state` at `now` only, when given), newest first, before
    /// the one numbered `before` (nil: from the newest).
    func reservations(shop: Int, state: ReservationListState?, at now: Int64, before: Int64?, limit: Int) async throws -> [Reservation]
}
