/// Group commit: requests that arrive while a batch is being written wait for the next one, and
/// each batch is applied by one call, so one durable commit answers many requests.
///
/// A batch starts as soon as a writer is free, so the batch size follows the load: one request
/// alone is written at once, many concurrent ones share a commit. Several writers let one batch
/// wait for its commit while the next is planned (PostgreSQL); their locks are taken in one global
/// order, so they cannot deadlock each other.
public actor GroupCommit<Command: Sendable, Result: Sendable> {
    public typealias Apply = @Sendable ([Command]) async throws -> [Result]

    private struct Waiting {
        let command: Command
        let continuation: CheckedContinuation<Result, any Error>
    }

    private let apply: Apply
    private let maximumBatch: Int
    private let writers: Int
    private var waiting: [Waiting] = []
    private var activeWriters = 0

    public init(writers: Int = 1, maximumBatch: Int = 512, apply: @escaping Apply) {
        self.apply = apply
        self.writers = writers
        self.maximumBatch = maximumBatch
    }

    /// Queues `command` and returns its result once the batch it went into is durable; a
    /// failure of the batch as a whole (e.g. a lock time-out) is thrown to each of its commands.
    public func submit(_ command: Command) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            waiting.append(Waiting(command: command, continuation: continuation))
            if activeWriters < writers {
                activeWriters += 1
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
        activeWriters -= 1
    }
}
