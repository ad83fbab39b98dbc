import BackroomCore
import Foundation

/// What a live page shows, read once a second for every console watching it rather than once
/// per console: fifty open Stores pages cost the database what one does. Each subscriber hears
/// the latest text at once and then every second, whether it changed or not (a subscriber that
/// falls behind skips to the newest, never losing the last change).
actor ConsoleFeed {
    private let read: @Sendable () async throws -> String
    private let clock: BackroomClock
    private var subscribers: [UUID: AsyncStream<String>.Continuation] = [:]
    private var latest: String?
    private var poller: Task<Void, Never>?

    init(clock: BackroomClock, read: @escaping @Sendable () async throws -> String) {
        self.clock = clock
        self.read = read
    }

    /// A stream that ends when `unsubscribe(id)` is called.
    func subscribe() -> (id: UUID, updates: AsyncStream<String>) {
        let id = UUID()
        let (stream, continuation) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(1))
        subscribers[id] = continuation
        if let latest { continuation.yield(latest) }
        if poller == nil {
            poller = Task { await self.poll() }
        }
        return (id, stream)
    }

    func unsubscribe(_ id: UUID) {
        subscribers.removeValue(forKey: id)?.finish()
    }

    /// Reads while anybody listens, and stops with the last of them; a failed read is skipped
    /// (the consoles keep what they show) and tried again a second later.
    private func poll() async {
        while !subscribers.isEmpty, !Task.isCancelled {
            if let text = try? await read() { latest = text }
            if let latest {
                for continuation in subscribers.values { continuation.yield(latest) }
            }
            try? await clock.sleep(for: .seconds(1))
        }
        poller = nil
        latest = nil
    }
}
