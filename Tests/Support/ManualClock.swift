import BackroomCore
import Synchronization

/// A clock that moves only when a test moves it: its wall time and every sleep on it. A test
/// waits until what it drives sleeps (`sleepers(atLeast:)`), then advances the clock past the
/// deadline, instead of sleeping itself; "nothing happens" is time advanced with nothing done.
public final class ManualClock: Sendable {
    private struct Sleeper {
        let deadline: Duration
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var sinceOrigin = Duration.zero
        var next = 0
        var sleepers: [Int: Sleeper] = [:]
        var counting: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let wallOrigin: Int64
    private let state = Mutex(State())

    public init(wallMillis: Int64 = 1_764_000_000_000) {
        wallOrigin = wallMillis
    }

    public var clock: BackroomClock {
        BackroomClock(
            wall: { [self] in wallOrigin + Self.millis(state.withLock { $0.sinceOrigin }) },
            monotonic: { [self] in state.withLock { $0.sinceOrigin } },
            sleep: { [self] deadline, _ in try await sleep(until: deadline.sinceOrigin) }
        )
    }

    /// Moves time on by `duration` and wakes every sleep whose deadline has come.
    public func advance(by duration: Duration) {
        let woken = state.withLock { state in
            state.sinceOrigin += duration
            let now = state.sinceOrigin
            let due = state.sleepers.filter { $0.value.deadline <= now }
            for id in due.keys { state.sleepers[id] = nil }
            return due.values.map(\.continuation)
        }
        for continuation in woken { continuation.resume() }
    }

    /// Returns once at least `count` tasks sleep on this clock.
    public func sleepers(atLeast count: Int) async {
        await withCheckedContinuation { continuation in
            let now = state.withLock { state in
                if state.sleepers.count >= count { return true }
                state.counting.append((count, continuation))
                return false
            }
            if now { continuation.resume() }
        }
    }

    /// How many tasks sleep on this clock now.
    public var sleeping: Int { state.withLock { $0.sleepers.count } }

    private func sleep(until deadline: Duration) async throws {
        let id = state.withLock { state in
            state.next += 1
            return state.next
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let (resumeNow, counted) = state.withLock { state -> (Bool, [CheckedContinuation<Void, Never>]) in
                    if Task.isCancelled || deadline <= state.sinceOrigin { return (true, []) }
                    state.sleepers[id] = Sleeper(deadline: deadline, continuation: continuation)
                    let reached = state.counting.filter { $0.count <= state.sleepers.count }
                    state.counting.removeAll { $0.count <= state.sleepers.count }
                    return (false, reached.map(\.continuation))
                }
                for waiting in counted { waiting.resume() }
                if resumeNow {
                    if Task.isCancelled { continuation.resume(throwing: CancellationError()) } else { continuation.resume() }
                }
            }
        } onCancel: {
            let sleeper = state.withLock { state in
                defer { state.sleepers[id] = nil }
                return state.sleepers[id]
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    private static func millis(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    }
}
