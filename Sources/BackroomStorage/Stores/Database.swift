import BackroomCore
import ServiceLifecycle

/// The database itself: what it is, its schema, its lifetime. As a `Service` it runs for as long
/// as the database is in use (PostgreSQL's connection pool lives in `run()`); `close()` releases
/// it when no service group owns it.
/// Every method is one transaction, and returns only once it is durable.
public protocol Database: Service {
    var kind: DatabaseKind { get }
    /// How many batches of changes may be written at once: SQLite has one writer.
    var concurrentWriters: Int { get }
    /// What committed writes changed, for pulls and links waiting on it.
    var changes: ChangeFeed { get }
    /// The database engine and its version, e.g. `SQLite 3.40.1` or `PostgreSQL 15.18`.
    func databaseVersion() async throws -> String
    /// Fails at once, with the database's own reason, when the database cannot be used at all.
    func checkReachable() async throws
    /// Applies the migrations the database lacks and returns their versions. Safe to run
    /// twice, and from two processes at once.
    @discardableResult
    func migrate() async throws -> [Int]
    func appliedMigrations() async throws -> [Int]
    /// The connections this process holds to the database, and how many are busy right now.
    func connectionUse() async throws -> ConnectionUse
    func close() async throws
}

/// A process's connections to its database, for `/metrics`.
public struct ConnectionUse: Sendable, Equatable {
    public let open: Int
    public let inUse: Int

    public init(open: Int, inUse: Int) {
        self.open = open
        self.inUse = inUse
    }
}
