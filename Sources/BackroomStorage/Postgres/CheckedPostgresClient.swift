import Logging
import NIOCore
import PostgresNIO
import Tracing

/// PostgresNIO's pool as this storage uses it, every statement written by
/// `PostgresConnection.checkedQuery`.
struct CheckedPostgresClient: Sendable {
    let pool: PostgresClient

    func withConnection<Result>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresConnection) async throws -> sending Result
    ) async throws -> sending Result {
        // One span per use of a connection: a transaction, or a statement that is its own.
        let span = startSpan("postgresql transaction", ofKind: .client)
        defer { span.end() }
        do {
            return try await pool.withConnection(isolation: isolation, body)
        } catch {
            span.recordError(error)
            throw error
        }
    }

    /// `BEGIN`, the body, `COMMIT`; `ROLLBACK` if the body throws. Unlike PostgresNIO's own, each
    /// is a checked query, and errors come out as they are.
    func withTransaction<Result>(
        logger: Logger,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresConnection) async throws -> sending Result
    ) async throws -> sending Result {
        try await withConnection(isolation: isolation) { connection in
            try await connection.checkedQuery("BEGIN", logger: logger)
            let result: Result
            do {
                result = try await body(connection)
            } catch {
                // A connection that closed took its transaction with it: nothing to roll back.
                _ = try? await connection.checkedQuery("ROLLBACK", logger: logger)
                throw error
            }
            try await connection.checkedQuery("COMMIT", logger: logger)
            return result
        }
    }

    @discardableResult
    func query(_ query: PostgresQuery, logger: Logger) async throws -> CollectedRows {
        try await withConnection { connection in try await connection.checkedQuery(query, logger: logger) }
    }
}

extension PostgresConnection {
    /// A statement and all its rows, written only if the connection is open at that moment.
    /// PostgresNIO 1.33.2 writes a query to its connection's channel without a promise: on a
    /// channel that has closed, the write fails unseen and the query is never answered (a
    /// failover under load left store pushes waiting for their 15-minute time-out that way).
    /// Looking and writing in one turn of the connection's event loop leaves no moment between.
    @discardableResult
    func checkedQuery(_ query: PostgresQuery, logger: Logger) async throws -> CollectedRows {
        do {
            let result = try await eventLoop.flatSubmit { [self] () -> EventLoopFuture<PostgresQueryResult> in
                guard !isClosed else { return eventLoop.makeFailedFuture(StorageError.unreachable("the connection to the database has closed")) }
                return self.query(query, logger: logger)
            }.get()
            return CollectedRows(rows: result.rows)
        } catch let error as PSQLError where error.serverInfo?[.constraintName] == StorageError.stockBoundsCheck {
            throw StorageError.stockOutOfBounds
        }
    }
}

/// Rows already read, decoded as PostgresNIO decodes rows as they arrive.
struct CollectedRows: AsyncSequence, Sendable {
    typealias Element = PostgresRow
    typealias Failure = any Error
    let rows: [PostgresRow]

    struct AsyncIterator: AsyncIteratorProtocol {
        var rest: IndexingIterator<[PostgresRow]>

        mutating func next() async throws -> PostgresRow? { rest.next() }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(rest: rows.makeIterator()) }
}
