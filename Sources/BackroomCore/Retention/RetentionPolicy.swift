/// What a server keeps of what is finished, and for how long (the `backroom.retention.*`
/// preferences): the rest is deleted by the retention run, so that a box's disk and every
/// query's cost stop growing with the years.
public struct RetentionPolicy: Sendable, Equatable {
    public static let dayMillis: Int64 = 86_400_000

    public let finishedReservationDays: Int
    public let movementDays: Int

    public init(finishedReservationDays: Int, movementDays: Int) {
        self.finishedReservationDays = finishedReservationDays
        self.movementDays = movementDays
    }

    /// Reservations that finished before this instant go: committed or cancelled then, or
    /// expired then (an expired one can be reserved anew until it goes).
    public func finishedReservationCutoff(at now: Int64) -> Int64 {
        now - Int64(finishedReservationDays) * Self.dayMillis
    }

    /// Movements recorded before this instant may go, once every consumer has them.
    public func movementCutoff(at now: Int64) -> Int64 {
        now - Int64(movementDays) * Self.dayMillis
    }

    /// A store whose pull cursor has not moved since the movement cutoff is gone: it holds no
    /// movement back, and when it returns it finds what it missed deleted and loads afresh.
    /// (A caught-up store's cursor moves with every origin's head, so an idle one is not gone.)
    public func storeIsGone(cursorMovedAt: Int64, at now: Int64) -> Bool {
        cursorMovedAt < movementCutoff(at: now)
    }
}
