import ServiceLifecycle
import Synchronization

/// Lets background services wait until the database is migrated: they start with the server,
/// but must not touch tables a migration has yet to create.
public final class StorageReadiness: Sendable {
    private let opened = AsyncStream<Void>.makeStream()
    private let isOpenFlag = Atomic(false)

    public init() {}

    /// Called once the database is ready.
    public func open() {
        isOpenFlag.store(true, ordering: .releasing)
        opened.continuation.finish()
    }

    /// Whether `open()` was called: the migrations are applied.
    public var isOpen: Bool { isOpenFlag.load(ordering: .acquiring) }

    /// Returns once `open()` was called; false if the service is shutting down first.
    public func wait() async -> Bool {
        for await _ in opened.stream.cancelOnGracefulShutdown() {}
        return !Task.isShuttingDownGracefully && !Task.isCancelled
    }
}
