/// One pull's worth of movements for a store, and the cursor past everything looked at for it:
/// movements of other shops are stepped over once, not scanned again on every pull.
public struct SyncPage: Sendable, Equatable {
    public let movements: [ReplicatedMovement]
    public let cursor: SyncCursor
    /// Whether the scan stopped at its limit, so that more may follow at once.
    public let more: Bool

    public init(movements: [ReplicatedMovement], cursor: SyncCursor, more: Bool) {
        self.movements = movements
        self.cursor = cursor
        self.more = more
    }
}
