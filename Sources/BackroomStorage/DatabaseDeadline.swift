import BackroomCore
import Synchronization

/// A bound on how long a request may wait for the database: a server gone without closing its
/// connections leaves a query waiting for TCP's own time-out, and a store whose push waits holds
/// its link for its 15-minute read time-out. Past the deadline the caller is told the database
/// cannot be used for now (503) and the stuck work is left behind, cancelled; whatever it
/// committed is found again by the caller's retry, which is idempotent.
public enum DatabaseDeadline {
    public static func within<Result: Sendable>(
        _ limit: Duration,
        on clock: BackroomClock,
        _ work: @escaping @Sendable () async throws -> Result
    ) async throws -> Result {
        let task = Task { try await work() }
        let outcome: Result? = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Result?, any Error>) in
                let answered = Mutex(false)
                let answer = { @Sendable (result: Swift.Result<Result?, any Error>) in
                    guard
                        answered.withLock({ done in
                            defer { done = true }
                            return !done
                        })
                    else { return }
                    continuation.resume(with: result)
                }
                let timer = Task {
                    try? await clock.sleep(for: limit)
                    answer(.success(nil))
                }
                Task {
                    answer(await task.result.map { Optional($0) })
                    timer.cancel()
                }
            }
        } onCancel: {
            task.cancel()
        }
        guard let outcome else {
            task.cancel()
            throw StorageError.unreachable("the database did not answer within \(limit)")
        }
        return outcome
    }
}
