import ServiceLifecycle

/// Lets background services wait until the database is migrated: they start with the server,
/// but must not touch tables a migration has yet to create.
public final class StorageReadiness: Sendable {
    private let opened = AsyncStream<Void>.makeStream()

    public init() {}

    /// Called once the database is ready.
    public func open() {
        opened.continuation.finish()
    }

    /// Returns once `open()` was called; false if the service is shutting down first.
    public func wait() async -> Bool {
        for await _ in opened.stream.cancelOnGracefulShutdown() {}
        return !Task.isShuttingDownGracefully && !Task.isCancelled
    }
}
