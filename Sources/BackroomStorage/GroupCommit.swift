import ServiceLifecycle

/// Group commit: requests that arrive while a batch is being written wait for the next one, and
/// each batch is applied by one call, so one durable commit answers many requests.
///
/// A batch starts as soon as a writer is free, so the batch size follows the load: one request
/// alone is written at once, many concurrent ones share a commit. Several writers let one batch
/// wait for its commit while the next is planned (PostgreSQL); their locks are taken in one global
/// order, so they cannot deadlock each other.
///
/// As a service, its writers run for as long as the service group does; a graceful shutdown lets
/// them write what is queued, and a command submitted after that is refused (`Stopped`).
public actor GroupCommit<Command: Sendable, Result: Sendable>: Service {
    public typealias Apply = @Sendable ([Command]) async throws -> [Result]

    /// The queue has stopped taking commands: the server is shutting down.
    public struct Stopped: Error {}

    private struct Waiting {
        let command: Command
        let continuation: CheckedContinuation<Result, any Error>
    }

    private let apply: Apply
    private let maximumBatch: Int
    private let writers: Int
    private var waiting: [Waiting] = []
    /// Writers with nothing to write, each waiting to be woken: true for work, false to stop.
    private var idle: [CheckedContinuation<Bool, Never>] = []
    private var stopped = false

    public init(writers: Int = 1, maximumBatch: Int = 512, apply: @escaping Apply) {
        self.apply = apply
        self.writers = writers
        self.maximumBatch = maximumBatch
    }

    /// How many commands wait for a batch.
    public var queued: Int { waiting.count }

    /// Queues `command` and returns its result once the batch it went into is durable; a
    /// failure of the batch as a whole (e.g. a lock time-out) is thrown to each of its commands.
    public func submit(_ command: Command) async throws -> Result {
        guard !stopped else { throw Stopped() }
        return try await withCheckedThrowingContinuation { continuation in
            waiting.append(Waiting(command: command, continuation: continuation))
            if !idle.isEmpty { idle.removeFirst().resume(returning: true) }
        }
    }

    public nonisolated func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<writers {
                group.addTask { await self.write() }
            }
            group.addTask {
                // Graceful shutdown or cancellation: what is queued is still written.
                try? await gracefulShutdown()
                await self.stop()
            }
        }
    }

    private func stop() {
        stopped = true
        for writer in idle { writer.resume(returning: false) }
        idle = []
    }

    /// One writer: batches while there are commands, waits while there are none, until stopped.
    private func write() async {
        while true {
            guard !waiting.isEmpty else {
                if stopped { return }
                guard await withCheckedContinuation({ idle.append($0) }) else { return }
                continue
            }
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
    }
}
