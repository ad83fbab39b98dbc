import Synchronization

/// A `ChangeCache` for each key, made when the key is first asked for: what each store's pull
/// reads of that store alone (its resync mark, its next token) is read again only after a
/// change that concerns it is heard, and only for the stores that ask.
public final class KeyedChangeCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let feed: ChangeFeed
    private let caches = Mutex<[Key: ChangeCache<Value>]>([:])

    public init(feed: ChangeFeed) {
        self.feed = feed
    }

    public func value(for key: Key, reading read: @Sendable () async throws -> Value) async throws -> Value {
        let cache = caches.withLock { caches in
            if let cache = caches[key] { return cache }
            let cache = ChangeCache<Value>(feed: feed)
            caches[key] = cache
            return cache
        }
        return try await cache.value(reading: read)
    }
}
