import BackroomCore
import Foundation
import Logging
import PostgresNIO
import Synchronization

@testable import BackroomStorage

/// The databases every storage-facing test runs against.
public enum TestDatabase: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite
    case postgresql

    public var description: String { rawValue }

    /// Both databases when a PostgreSQL server is at hand (`scripts/test` starts one), or when
    /// `BACKROOM_TEST_POSTGRES_REQUIRED` says it must be (then a missing one fails the tests);
    /// otherwise SQLite alone, and a plain `swift test` says once that it left PostgreSQL out.
    public static var allCases: [TestDatabase] {
        let environment = ProcessInfo.processInfo.environment
        if environment["BACKROOM_TEST_POSTGRES_URL"]?.isEmpty == false || environment["BACKROOM_TEST_POSTGRES_REQUIRED"] == "1" {
            return [.sqlite, .postgresql]
        }
        PostgresSkipNotice.once()
        return [.sqlite]
    }

    /// A new, empty database of this kind that nothing else uses.
    public func makeFresh() async throws -> FreshDatabase {
        switch self {
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("backroom-test-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            return FreshDatabase(url: "sqlite:\(folder.path)/backroom.sqlite", folder: folder.path) {
                try? FileManager.default.removeItem(at: folder)
            }
        case .postgresql:
            let server = try TestPostgres.serverURL()
            let name = "backroom_test_\(UUID().uuidString.prefix(8).lowercased())"
            try await TestPostgres.administer(server, "CREATE DATABASE \(name)")
            return FreshDatabase(url: TestPostgres.url(server, database: name), folder: nil) {
                try await TestPostgres.administer(server, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            }
        }
    }

    /// Runs `body` with a fresh database, then throws the database away.
    public func withFresh<Result: Sendable>(_ body: @Sendable (FreshDatabase) async throws -> Result) async throws -> Result {
        let database = try await makeFresh()
        do {
            let result = try await body(database)
            try await database.discard()
            return result
        } catch {
            try? await database.discard()
            throw error
        }
    }

    /// Runs `body` with migrated storage on a fresh database, then throws the database away.
    public func withStorage<Result: Sendable>(
        clock: BackroomClock = .system,
        _ body: @Sendable (any BackroomStorage, FreshDatabase) async throws -> Result
    ) async throws -> Result {
        try await withFresh { database in try await database.withStorage(clock: clock, body) }
    }
}

/// Says once per run that the PostgreSQL cases were left out.
enum PostgresSkipNotice {
    private static let said = Mutex(false)

    static func once() {
        guard
            !said.withLock({ said in
                defer { said = true }
                return said
            })
        else { return }
        FileHandle.standardError.write(
            Data(
                "note: BACKROOM_TEST_POSTGRES_URL is not set, so the PostgreSQL cases are skipped; scripts/test runs them against a throwaway PostgreSQL\n"
                    .utf8
            )
        )
    }
}

/// One throwaway database: its `--database` URL and how to remove it.
public struct FreshDatabase: Sendable {
    public let url: String
    /// The folder holding an SQLite database's files; nil for PostgreSQL.
    public let folder: String?
    private let remove: @Sendable () async throws -> Void

    init(url: String, folder: String?, remove: @escaping @Sendable () async throws -> Void) {
        self.url = url
        self.folder = folder
        self.remove = remove
    }

    public var location: DatabaseLocation {
        get throws { try DatabaseLocation(parsing: url) }
    }

    public func discard() async throws {
        try await remove()
    }

    /// Runs `body` while another connection holds the lock a reservation of `product` needs:
    /// the whole database's write lock on SQLite, the product's stock row on PostgreSQL.
    @discardableResult
    public func holdingWriteLock<Result: Sendable>(
        on product: ProductKey,
        _ body: @Sendable () async throws -> Result
    ) async throws -> Result {
        switch try location {
        case .sqlite(let path):
            let connection = try SQLiteConnection(path: path, busyTimeoutMillis: 5000)
            try connection.executeScript("BEGIN IMMEDIATE")
            defer { try? connection.executeScript("ROLLBACK") }
            return try await body()
        case .postgres(let location):
            return try await TestPostgres.withConnection(location) { connection in
                try await connection.query("BEGIN", logger: TestLogger.quiet)
                try await connection.query(
                    "SELECT 1 FROM stock WHERE shop_id = \(Int64(product.shop)) AND product_id = \(product.product) FOR UPDATE",
                    logger: TestLogger.quiet
                )
                return try await body()
            }
        }
    }

    /// A number read behind Backroom's back (the first column of the first row): what a
    /// table holds that no store method shows.
    public func number(_ sql: String) async throws -> Int64? {
        switch try location {
        case .sqlite(let path):
            let connection = try SQLiteConnection(path: path, busyTimeoutMillis: 5000)
            return try connection.query(sql).first?.integer(0)
        case .postgres(let location):
            return try await TestPostgres.withConnection(location) { connection in
                let rows = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: TestLogger.quiet).decode(Int64.self)
                var first: Int64?
                for try await value in rows where first == nil { first = value }
                return first
            }
        }
    }

    /// The first column of every row, as text, read behind Backroom's back.
    public func texts(_ sql: String) async throws -> [String] {
        switch try location {
        case .sqlite(let path):
            let connection = try SQLiteConnection(path: path, busyTimeoutMillis: 5000)
            return try connection.query(sql).compactMap { $0.text(0) }
        case .postgres(let location):
            return try await TestPostgres.withConnection(location) { connection in
                let rows = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: TestLogger.quiet).decode(String.self)
                var texts: [String] = []
                for try await value in rows { texts.append(value) }
                return texts
            }
        }
    }

    /// Runs SQL behind Backroom's back, as an operator with a database console would.
    public func executeRaw(_ sql: String) async throws {
        switch try location {
        case .sqlite(let path):
            let database = try SQLiteDatabase(path: path)
            try await database.write { connection in try connection.executeScript(sql) }
            try await database.close()
        case .postgres:
            try await TestPostgres.administer(url, sql)
        }
    }

    /// Opens a storage on this database (as a second process would), migrates it, runs
    /// `body`, and closes it.
    public func withStorage<Result: Sendable>(
        clock: BackroomClock = .system,
        _ body: @Sendable (any BackroomStorage, FreshDatabase) async throws -> Result
    ) async throws -> Result {
        let storage = try StorageFactory.open(try location, clock: clock, logger: TestLogger.quiet)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await storage.run() }
            defer { group.cancelAll() }
            try await storage.migrate()
            return try await body(storage, self)
        }
    }
}

public struct MissingTestPostgres: Error, CustomStringConvertible {
    public var description: String {
        "BACKROOM_TEST_POSTGRES_URL is not set: run the suite with scripts/test, which starts a throwaway PostgreSQL"
    }
}

public enum TestPostgres {
    public static func serverURL() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["BACKROOM_TEST_POSTGRES_URL"], !url.isEmpty else {
            throw MissingTestPostgres()
        }
        return url
    }

    static func connect(_ location: PostgresLocation) async throws -> PostgresConnection {
        try await PostgresConnection.connect(
            configuration: .init(
                host: location.host,
                port: location.port,
                username: location.user,
                password: location.password,
                database: location.database,
                tls: .disable
            ),
            id: 1,
            logger: TestLogger.quiet
        )
    }

    /// `body` on a connection of its own, closed after it whatever happens.
    static func withConnection<Result: Sendable>(
        _ location: PostgresLocation,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        let connection = try await connect(location)
        do {
            let result = try await body(connection)
            try await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }

    static func url(_ server: String, database: String) -> String {
        var components = URLComponents(string: server)!
        components.path = "/" + database
        return components.string!
    }

    public static func administer(_ server: String, _ sql: String) async throws {
        guard case .postgres(let location) = try DatabaseLocation(parsing: server) else { throw MissingTestPostgres() }
        // One connection of its own, so that administration never waits for a pool under test.
        try await withConnection(location) { connection in
            _ = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: TestLogger.quiet)
        }
    }
}

public enum TestLogger {
    /// Errors only: the suite's output stays readable, and what matters is asserted, not logged.
    public static var quiet: Logger {
        var logger = Logger(label: "test")
        logger.logLevel = .error
        return logger
    }
}
