/// Group commit: requests that arrive while a batch is being written wait for the next one, and
/// each batch is applied by one call, so one durable commit answers many requests.
///
/// With one writer per process, a batch starts as soon as the previous one is durable, so the
/// batch size follows the load: one request alone is written at once, many concurrent ones share
/// a commit.
public actor GroupCommit<Command: Sendable, Result: Sendable> {
    public typealias Apply = @Sendable ([Command]) async throws -> [Result]

    private struct Waiting {
        let command: Command
        let continuation: CheckedContinuation<Result, any Error>
    }

    private let apply: Apply
    private let maximumBatch: Int
    private var waiting: [Waiting] = []
    private var writing = false

    public init(maximumBatch: Int = 512, apply: @escaping Apply) {
        self.apply = apply
        self.maximumBatch = maximumBatch
    }

    /// Queues `command` and returns its result once the batch it went into is durable; a
    /// failure of the batch as a whole (e.g. a lock time-out) is thrown to each of its commands.
    public func submit(_ command: Command) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            waiting.append(Waiting(command: command, continuation: continuation))
            if !writing {
                writing = true
                Task { await self.drain() }
            }
        }
    }

    private func drain() async {
        while !waiting.isEmpty {
            let batch = Array(waiting.prefix(maximumBatch))
            waiting.removeFirst(batch.count)
            do {
                let results = try await apply(batch.map(\.command))
                precondition(results.count == batch.count, "a batch must answer every command")
                for (entry, result) in zip(batch, results) { entry.continuation.resume(returning: result) }
            } catch {
                for entry in batch { entry.continuation.resume(throwing: error) }
            }
        }
        writing = false
    }
}
