/// What waits to be pulled by a store: how many movements, and when the oldest of them was
/// recorded, which makes the replication lag.
public struct MovementBacklog: Sendable, Equatable {
    public let count: Int
    /// Milliseconds since the epoch; nil when nothing waits.
    public let oldestRecordedAt: Int64?

    public init(count: Int, oldestRecordedAt: Int64?) {
        self.count = count
        self.oldestRecordedAt = count == 0 ? nil : oldestRecordedAt
    }

    /// How far behind the store is, in seconds: the age of the oldest movement it has not
    /// pulled, none when nothing waits (a clock that went back counts as none, not less).
    public func lagSeconds(at now: Int64) -> Double {
        guard let oldest = oldestRecordedAt else { return 0 }
        return Double(max(0, now - oldest)) / 1000
    }
}
