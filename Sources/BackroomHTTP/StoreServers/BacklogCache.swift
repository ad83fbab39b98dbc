import BackroomCore
import BackroomStorage
import Synchronization

/// What waits for each store, kept until a movement for one of its shops is committed or its
/// cursor moves: `BacklogSampler` counts every store every few seconds, and an idle store's
/// count does not change. (Its lag does, and is worked out from the oldest waiting movement.)
final class BacklogCache: Sendable {
    private struct Entry {
        let cursor: SyncCursor
        let shops: [Int]
        let cache: ChangeCache<MovementBacklog>
    }

    private let feed: ChangeFeed
    private let entries = Mutex<[ServerKey: Entry]>([:])

    init(feed: ChangeFeed) {
        self.feed = feed
    }

    func backlog(
        of store: ServerKey,
        shops: [Int],
        after cursor: SyncCursor,
        reading read: @Sendable () async throws -> MovementBacklog
    ) async throws -> MovementBacklog {
        let cache = entries.withLock { entries in
            if let entry = entries[store], entry.cursor == cursor, entry.shops == shops { return entry.cache }
            let cache = ChangeCache<MovementBacklog>(feed: feed, shops: Set(shops), apartFrom: store)
            entries[store] = Entry(cursor: cursor, shops: shops, cache: cache)
            return cache
        }
        return try await cache.value(reading: read)
    }
}
