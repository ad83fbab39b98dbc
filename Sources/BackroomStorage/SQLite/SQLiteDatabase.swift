import Foundation
import NIOConcurrencyHelpers
import NIOPosix
import Tracing

/// An SQLite database file used by one writer and several readers.
///
/// SQLite allows one writer at a time, so every write runs on a single dedicated thread, in
/// arrival order, each in one `BEGIN IMMEDIATE` transaction; readers use their own connections
/// on a small pool of threads and never wait for the writer (WAL).
final class SQLiteDatabase: Sendable {
    static let readerCount = 4
    static let writerCacheKiB = 64 * 1024
    static let checkpointPages = 10_000

    let path: String
    private let writer: SQLiteConnection
    private let writerThread = NIOThreadPool(numberOfThreads: 1)
    private let readerThreads = NIOThreadPool(numberOfThreads: SQLiteDatabase.readerCount)
    private let idleReaders: NIOLockedValueBox<[SQLiteConnection]>
    private let writerBusy = NIOLockedValueBox(false)

    /// What this process's writes changed, for those waiting on it.
    let changes = ChangeFeed(live: true)
    private let changedTables = SQLiteChangedTables()

    init(path: String, busyTimeoutMillis: Int32 = 5000) throws {
        self.path = path
        let writer = try SQLiteConnection(path: path, busyTimeoutMillis: busyTimeoutMillis)
        self.writer = writer
        writer.reportChanges(to: changedTables)
        // WAL lets readers run beside the writer; synchronous=FULL syncs the WAL on every
        // commit, so an acknowledged change survives a power cut. The writer's page cache
        // survives its own commits, so a large one saves reading pages back from the file on
        // every batch (the 2 MB default held too little of the stock table). A
        // checkpoint runs inside the commit that crosses the threshold; 10,000 pages (40 MB)
        // instead of 1,000 copies a page changed by many batches back to the database once
        // instead of ten times, which took a quarter of the commit time under load.
        try Self.untilNotBusy(forMillis: busyTimeoutMillis) {
            try writer.executeScript(
                """
                PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;
                PRAGMA cache_size=-\(Self.writerCacheKiB); PRAGMA wal_autocheckpoint=\(Self.checkpointPages);
                """
            )
        }
        idleReaders = NIOLockedValueBox(
            try (0..<Self.readerCount).map { _ in
                let reader = try SQLiteConnection(path: path, busyTimeoutMillis: busyTimeoutMillis)
                try reader.executeScript("PRAGMA foreign_keys=ON;")
                return reader
            }
        )
        writerThread.start()
        readerThreads.start()
    }

    /// Runs `body` again while it fails with `SQLITE_BUSY`, for up to `millis`. Switching a new
    /// file to WAL needs it alone for a moment, and SQLite answers busy at once, without its busy
    /// handler, when another process is opening or migrating the same file (two `backroom
    /// migrate` at once failed now and then with "database is locked").
    private static func untilNotBusy(forMillis millis: Int32, _ body: () throws -> Void) throws {
        let deadline = ContinuousClock.now + .milliseconds(millis)
        while true {
            do {
                return try body()
            } catch let error as SQLiteError where error.isBusy && ContinuousClock.now < deadline {
                Thread.sleep(forTimeInterval: 0.02)
            }
        }
    }

    /// Runs `body` in one write transaction. `prepare` runs first, outside the transaction, to
    /// set up the connection for it (e.g. how long to wait for another process's lock);
    /// `committed` runs after a successful commit, before the writer takes up anything else.
    @discardableResult
    func write<Result: Sendable>(
        prepare: @escaping @Sendable (SQLiteConnection) throws -> Void = { _ in },
        _ body: @escaping @Sendable (SQLiteConnection) throws -> Result,
        committed: @escaping @Sendable (Result) -> Void = { _ in }
    ) async throws -> Result {
        try await withSpan("sqlite write transaction", ofKind: .client) { _ in try await writeUntraced(prepare: prepare, body, committed: committed) }
    }

    private func writeUntraced<Result: Sendable>(
        prepare: @escaping @Sendable (SQLiteConnection) throws -> Void,
        _ body: @escaping @Sendable (SQLiteConnection) throws -> Result,
        committed: @escaping @Sendable (Result) -> Void
    ) async throws -> Result {
        try await writerThread.runIfActive { [writer, writerBusy, changedTables, changes] in
            writerBusy.withLockedValue { $0 = true }
            defer { writerBusy.withLockedValue { $0 = false } }
            try prepare(writer)
            let result: Result
            do {
                result = try Self.inTransaction(writer, begin: "BEGIN IMMEDIATE", body)
            } catch {
                _ = changedTables.take()
                throw error
            }
            committed(result)
            if let change = changedTables.take() { changes.publish(change) }
            return result
        }
    }

    /// Runs `body` in a read transaction on the writer's connection, between two writes: for
    /// reads that need what only the writer keeps.
    func readOnWriter<Result: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> Result) async throws -> Result {
        try await withSpan("sqlite read transaction", ofKind: .client) { _ in try await readOnWriterUntraced(body) }
    }

    private func readOnWriterUntraced<Result: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> Result) async throws -> Result {
        try await writerThread.runIfActive { [writer, writerBusy] in
            writerBusy.withLockedValue { $0 = true }
            defer { writerBusy.withLockedValue { $0 = false } }
            return try Self.inTransaction(writer, begin: "BEGIN", body)
        }
    }

    /// The writer and every reader are open for the database's whole life.
    var connectionUse: ConnectionUse {
        let readersBusy = Self.readerCount - idleReaders.withLockedValue(\.count)
        return ConnectionUse(open: Self.readerCount + 1, inUse: readersBusy + (writerBusy.withLockedValue { $0 } ? 1 : 0))
    }

    func read<Result: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> Result) async throws -> Result {
        try await withSpan("sqlite read transaction", ofKind: .client) { _ in try await readUntraced(body) }
    }

    private func readUntraced<Result: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> Result) async throws -> Result {
        try await readerThreads.runIfActive { [idleReaders] in
            // There are as many connections as reader threads, so one is always free here.
            let reader = idleReaders.withLockedValue { $0.removeLast() }
            defer { idleReaders.withLockedValue { $0.append(reader) } }
            return try Self.inTransaction(reader, begin: "BEGIN", body)
        }
    }

    func close() async throws {
        try await writerThread.shutdownGracefully()
        try await readerThreads.shutdownGracefully()
    }

    private static func inTransaction<Result>(
        _ connection: SQLiteConnection,
        begin: String,
        _ body: (SQLiteConnection) throws -> Result
    ) throws -> Result {
        try connection.executeScript(begin)
        do {
            let result = try body(connection)
            try connection.executeScript("COMMIT")
            return result
        } catch {
            try? connection.executeScript("ROLLBACK")
            throw error
        }
    }
}
