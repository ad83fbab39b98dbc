import BackroomCore
import BackroomStorage
import Synchronization

/// What waits for each store, kept until a movement for one of its shops is committed or its
/// cursor moves: `BacklogSampler` counts every store every few seconds, and an idle store's
/// count does not change. (Its lag does, and is worked out from the oldest waiting movement.)
/// The cursor is kept as stored and read only when it changed: on a central with a year in it
/// every store's cursor names every origin, and reading a thousand of them every few seconds
/// was most of what an idle central did.
final class BacklogCache: Sendable {
    private struct Entry {
        let stored: String
        let cursor: SyncCursor
        let shops: [Int]
        let cache: ChangeCache<MovementBacklog>
    }

    private let feed: ChangeFeed
    private let entries = Mutex<[ServerKey: Entry]>([:])

    init(feed: ChangeFeed) {
        self.feed = feed
    }

    /// What waits for `store` past its cursor as `stored` (its pull cursor's text), and the cursor.
    func backlog(
        of store: ServerKey,
        shops: [Int],
        after stored: String,
        reading read: @escaping @Sendable (SyncCursor) async throws -> MovementBacklog
    ) async throws -> (cursor: SyncCursor, backlog: MovementBacklog) {
        let entry = entries.withLock { entries in
            if let entry = entries[store], entry.stored == stored, entry.shops == shops { return entry }
            let entry = Entry(
                stored: stored,
                cursor: SyncCursor(encoded: stored) ?? SyncCursor(),
                shops: shops,
                cache: ChangeCache<MovementBacklog>(feed: feed, shops: Set(shops), apartFrom: store)
            )
            entries[store] = entry
            return entry
        }
        let cursor = entry.cursor
        return (cursor, try await entry.cache.value { try await read(cursor) })
    }
}
