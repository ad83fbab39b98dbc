import BackroomCore
import ServiceLifecycle

/// Every store of `BackroomStorage` on an SQLite file, the embedded default; each feature's SQL is in
/// a file of its own (`SQLiteStockStore`, …).
public final class SQLiteStorage: Database {
    public let kind = DatabaseKind.sqlite
    public let concurrentWriters = 1
    public var changes: ChangeFeed { database.changes }
    let database: SQLiteDatabase
    let reservedLedger = SQLiteReservedLedger()
    let clock: BackroomClock

    public init(path: String, clock: BackroomClock) throws {
        self.clock = clock
        do {
            database = try SQLiteDatabase(path: path)
        } catch {
            throw StorageError.unreachable("cannot open database sqlite:\(path): \(error)")
        }
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown { try await self.announceOtherProcessesWrites() }
        try await close()
    }

    /// Another process's commit (`backroom user add`, `stock set` beside a running server) is
    /// not seen by this one's writer hook; `PRAGMA data_version` on the writer's connection
    /// changes with each of them, and is read once a second.
    private func announceOtherProcessesWrites() async throws {
        var seen: Int64?
        while true {
            try await clock.sleep(for: .seconds(1))
            let version = try await database.readOnWriter { connection in try connection.query("PRAGMA data_version").first?.integer(0) }
            if let seen, version != seen { database.changes.publish(.everything) }
            seen = version
        }
    }

    public func close() async throws {
        try await database.close()
    }

    /// Opening the file in `init` already proved it usable.
    public func checkReachable() async throws {}

    public func connectionUse() async throws -> ConnectionUse {
        database.connectionUse
    }

    public func databaseVersion() async throws -> String {
        try await database.read { connection in
            "SQLite " + (try connection.query("SELECT sqlite_version()").first?.text(0) ?? "?")
        }
    }

    public func migrate() async throws -> [Int] {
        try await database.write { connection in
            try connection.executeScript(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)"
            )
            let pending = try MigrationPlan.pending(
                known: Schema.migrations.map(\.version),
                applied: Set(try Self.appliedMigrations(connection))
            )
            for migration in Schema.migrations where pending.contains(migration.version) {
                for statement in migration.statements(for: .sqlite) { try connection.executeScript(statement) }
                try connection.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    [.integer(Int64(migration.version)), .text(migration.name), .integer(self.clock.nowMillis())]
                )
            }
            return pending
        }
    }

    public func appliedMigrations() async throws -> [Int] {
        try await database.read { connection in
            let exists = try connection.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
            return exists.isEmpty ? [] : try Self.appliedMigrations(connection)
        }
    }

    private static func appliedMigrations(_ connection: SQLiteConnection) throws -> [Int] {
        try connection.query("SELECT version FROM schema_migrations ORDER BY version").map {
            Int(try readable($0.integer(0), in: "schema_migrations"))
        }
    }

    static func principal(_ connection: SQLiteConnection, userID: Int64, name: String) throws -> Principal {
        let rights = try connection.query("SELECT right_name FROM user_rights WHERE user_id = ?", [.integer(userID)])
            .map { try readable($0.text(0).flatMap(Right.init(rawValue:)), in: "user_rights") }
        let shops = try connection.query("SELECT shop_id FROM user_shops WHERE user_id = ?", [.integer(userID)])
            .map { Int(try readable($0.integer(0), in: "user_shops")) }
        return Principal(userID: userID, name: name, rights: Set(rights), shops: Set(shops))
    }

    static func shopExists(_ connection: SQLiteConnection, _ shop: Int) throws -> Bool {
        try !connection.query("SELECT 1 FROM shops WHERE id = ?", [.integer(Int64(shop))]).isEmpty
    }

    /// The stock of every product in `keys` that has a stock row, in one statement however many
    /// there are: the keys go in as one JSON array, which `json_each` turns back into rows.
    static func productStock(
        _ connection: SQLiteConnection,
        _ keys: [ProductKey],
        at now: Int64,
        _ ledger: SQLiteReservedLedger
    ) throws -> [ProductKey: ProductStock] {
        let wanted = JSONValue.array(keys.map { .array([.integer(Int64($0.shop)), .string($0.product)]) })
        let rows = try connection.query(
            """
            SELECT s.shop_id, s.product_id, s.on_hand, s.blocked, s.modified_at
            FROM json_each(?) AS wanted CROSS JOIN stock s
            WHERE s.shop_id = wanted.value ->> 0 AND s.product_id = wanted.value ->> 1
            """,
            [.json(wanted)]
        )
        let reserved = try ledger.reserved(keys, at: now, connection)
        var stock: [ProductKey: ProductStock] = [:]
        for row in rows {
            let key = ProductKey(shop: Int(try readable(row.integer(0), in: "stock")), product: try readable(row.text(1), in: "stock"))
            stock[key] = ProductStock(
                onHand: try readable(row.integer(2), in: "stock"),
                blocked: try readable(row.integer(3), in: "stock"),
                reserved: reserved[key] ?? 0,
                modifiedAt: try readable(row.integer(4), in: "stock")
            )
        }
        return stock
    }

    /// On hand of the stock lines among `keys` that exist.
    static func onHand(_ connection: SQLiteConnection, _ keys: [ProductKey]) throws -> [ProductKey: Int64] {
        let wanted = JSONValue.array(keys.map { .array([.integer(Int64($0.shop)), .string($0.product)]) })
        let rows = try connection.query(
            """
            SELECT s.shop_id, s.product_id, s.on_hand
            FROM json_each(?) AS wanted CROSS JOIN stock s
            WHERE s.shop_id = wanted.value ->> 0 AND s.product_id = wanted.value ->> 1
            """,
            [.json(wanted)]
        )
        var onHand: [ProductKey: Int64] = [:]
        for row in rows {
            guard let shop = row.integer(0), let product = row.text(1), let quantity = row.integer(2) else {
                throw StorageError.unreadableRow("stock")
            }
            onHand[ProductKey(shop: Int(shop), product: product)] = quantity
        }
        return onHand
    }

    static func insertProduct(_ connection: SQLiteConnection, _ product: String) throws {
        try connection.execute("INSERT INTO products (id) VALUES (?) ON CONFLICT (id) DO NOTHING", [.text(product)])
    }

    /// Records one movement under the next sequence number of its origin, applies it to on hand,
    /// and returns that sequence number.
    @discardableResult
    static func appendMovement(
        _ connection: SQLiteConnection,
        _ key: ProductKey,
        qty: Int64,
        reason: MovementReason,
        reference: String?,
        origin: ServerKey,
        at now: Int64
    ) throws -> Int64 {
        let sequence =
            try connection.query(
                """
                INSERT INTO origin_counters (origin, last_seq) VALUES (?, 1)
                ON CONFLICT (origin) DO UPDATE SET last_seq = last_seq + 1 RETURNING last_seq
                """,
                [.text(origin.value)]
            ).first?.integer(0) ?? 0
        try connection.execute(
            """
            INSERT INTO movements (origin, origin_seq, shop_id, product_id, qty, reason, reference, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .text(origin.value), .integer(sequence), .integer(Int64(key.shop)), .text(key.product),
                .integer(qty), .text(reason.rawValue), reference.map(SQLiteValue.text) ?? .null, .integer(now),
            ]
        )
        try connection.execute(
            "UPDATE stock SET on_hand = on_hand + ?, modified_at = ? WHERE shop_id = ? AND product_id = ?",
            [.integer(qty), .integer(now), .integer(Int64(key.shop)), .text(key.product)]
        )
        return sequence
    }

    /// Runs `body`; a constraint it breaks comes out as `storageError`, as PostgreSQL's
    /// `mapping(_:to:_:)` does for its implementation.
    static func mappingConstraintViolation<Result>(to storageError: StorageError, _ body: () throws -> Result) throws -> Result {
        do {
            return try body()
        } catch let error as SQLiteError where error.isConstraintViolation {
            throw storageError
        }
    }
}
