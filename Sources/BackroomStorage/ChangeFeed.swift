import BackroomCore
import Synchronization

/// Says, within this process, what committed writes changed (`ShopChange`), to whoever waits
/// for changes concerning some shops: a store's pull parked on central, a store's link waiting
/// for its own sales. PostgreSQL feeds it from `NOTIFY`, so a write by any process on the same
/// database wakes the waiters of every process; SQLite from its writer, so only this process's
/// writes do.
public final class ChangeFeed: Sendable {
    private struct Waiting {
        let shops: Set<Int>?
        let store: ServerKey?
        var woken = false
        var continuation: CheckedContinuation<Void, Never>?
    }

    private let waiting = Mutex<(next: Int, byId: [Int: Waiting])>((0, [:]))
    private let live: Mutex<Bool>

    /// `live`: whether changes are heard from the start (SQLite's writer) or only once a
    /// listener says so (PostgreSQL's `LISTEN`).
    public init(live: Bool) {
        self.live = Mutex(live)
    }

    /// Whether changes are heard now; while not, waiters learn of them only at their time-out.
    public var isLive: Bool { live.withLock { $0 } }

    func setLive(_ isLive: Bool) {
        live.withLock { $0 = isLive }
    }

    public func publish(_ change: ShopChange) {
        let continuations = waiting.withLock { state in
            var woken: [CheckedContinuation<Void, Never>] = []
            for (id, entry) in state.byId where entry.shops.map({ change.concerns($0, apartFrom: entry.store) }) ?? true {
                state.byId[id]?.woken = true
                if let continuation = entry.continuation { woken.append(continuation) }
                state.byId[id]?.continuation = nil
            }
            return woken
        }
        for continuation in continuations { continuation.resume() }
    }

    /// Waits until a change concerning `shops` (nil: any change) is published after this call
    /// began, or `timeout` has passed, or the task is cancelled. Returns whether a change came.
    /// A change published while the caller looked at the database before calling is missed:
    /// callers register with `watch` first, then look, then wait. `apartFrom`: the store watched
    /// for, whose own movements are no change to it.
    public func watch(shops: Set<Int>?, apartFrom store: ServerKey? = nil) -> Watch {
        let id = waiting.withLock { state in
            state.next += 1
            state.byId[state.next] = Waiting(shops: shops, store: store)
            return state.next
        }
        return Watch(feed: self, id: id)
    }

    /// One caller's registration: changes published after it was made are kept for `wait`.
    public final class Watch: Sendable {
        let feed: ChangeFeed
        let id: Int

        init(feed: ChangeFeed, id: Int) {
            self.feed = feed
            self.id = id
        }

        /// Whether a change came since the watch began or was last asked; it is consumed.
        public func changed() -> Bool {
            feed.consume(id)
        }

        /// Whether a change came within `timeout` on `clock`; it is consumed, and the watch goes on.
        public func wait(upTo timeout: Duration, on clock: BackroomClock) async -> Bool {
            await withTaskGroup(of: Bool.self) { group in
                group.addTask { [feed, id] in
                    await feed.changed(id)
                    return true
                }
                group.addTask {
                    try? await clock.sleep(for: timeout)
                    return false
                }
                _ = await group.next()
                group.cancelAll()
                feed.wakeForCancellation(id)
                return feed.consume(id)
            }
        }

        deinit { feed.forget(id) }
    }

    private func changed(_ id: Int) async {
        await withCheckedContinuation { continuation in
            // Checked under the lock that `wakeForCancellation` takes after cancelling: either
            // this sees the cancellation or that sees the continuation.
            let resumeNow = waiting.withLock { state -> Bool in
                guard let entry = state.byId[id], !entry.woken, !Task.isCancelled else { return true }
                state.byId[id]?.continuation = continuation
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    /// Ends a `changed` still parked once its `wait` is over, so that its task can finish.
    private func wakeForCancellation(_ id: Int) {
        let continuation = waiting.withLock { state in
            defer { state.byId[id]?.continuation = nil }
            return state.byId[id]?.continuation
        }
        continuation?.resume()
    }

    private func consume(_ id: Int) -> Bool {
        waiting.withLock { state in
            defer { state.byId[id]?.woken = false }
            return state.byId[id]?.woken ?? false
        }
    }

    private func forget(_ id: Int) {
        let continuation = waiting.withLock { state in state.byId.removeValue(forKey: id)?.continuation }
        continuation?.resume()
    }

    /// How many are watching: for tests and metrics.
    public var watching: Int { waiting.withLock { $0.byId.count } }
}
