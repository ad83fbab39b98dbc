import BackroomCore
import Synchronization

/// A value read from the database and kept until a change that concerns it is heard on the
/// feed: what every store's pull reads alike (users, preferences) is read once, not at each pull.
/// While changes are not heard (PostgreSQL's listener reconnecting), it is read every time.
public final class ChangeCache<Value: Sendable>: Sendable {
    private let feed: ChangeFeed
    private let shops: Set<Int>
    private let store: ServerKey?
    private let kept = Mutex<(watch: ChangeFeed.Watch, value: Value)?>(nil)

    /// `shops`: the changes that concern the value; none, for what only `*` changes (users,
    /// preferences). `apartFrom`: the store the value is of, whose own movements leave it be.
    public init(feed: ChangeFeed, shops: Set<Int> = [], apartFrom store: ServerKey? = nil) {
        self.feed = feed
        self.shops = shops
        self.store = store
    }

    public func value(reading read: @Sendable () async throws -> Value) async throws -> Value {
        guard feed.isLive else { return try await read() }
        let current = kept.withLock { kept -> Value? in
            guard let entry = kept, !entry.watch.changed() else {
                kept = nil
                return nil
            }
            return entry.value
        }
        if let current { return current }
        // Watching before reading: a change committed while reading makes the next call read again.
        let watch = feed.watch(shops: shops, apartFrom: store)
        let value = try await read()
        if feed.isLive { kept.withLock { $0 = (watch, value) } }
        return value
    }
}
