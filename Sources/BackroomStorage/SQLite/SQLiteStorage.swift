import BackroomCore
import ServiceLifecycle

/// `BackroomStorage` on an SQLite file: the embedded default.
public final class SQLiteStorage: BackroomStorage {
    public let kind = DatabaseKind.sqlite
    public let concurrentWriters = 1
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
        try? await gracefulShutdown()
        try await close()
    }

    public func close() async throws {
        try await database.close()
    }

    /// Opening the file in `init` already proved it usable.
    public func checkReachable() async throws {}

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
                known: Schema.migrations.map(\.version), applied: Set(try Self.appliedMigrations(connection))
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
        try connection.query("SELECT version FROM schema_migrations ORDER BY version").compactMap { $0.integer(0) }.map(Int.init)
    }

    // MARK: users and credentials

    public func createUser(_ user: NewUser) async throws -> Int64 {
        try await database.write { connection in
            let rows = try Self.mappingConstraintViolation(to: .alreadyExists("user '\(user.name)'")) {
                try connection.query(
                    "INSERT INTO users (name, password_hash, created_at) VALUES (?, ?, ?) RETURNING id",
                    [.text(user.name), .text(user.passwordHash), .integer(self.clock.nowMillis())]
                )
            }
            guard let id = rows.first?.integer(0) else { throw SQLiteError(code: 0, message: "no id returned for new user") }
            try Self.grant(connection, user, to: id)
            return id
        }
    }

    public func updateUser(_ user: NewUser) async throws {
        try await database.write { connection in
            guard let id = try connection.query("SELECT id FROM users WHERE name = ?", [.text(user.name)]).first?.integer(0) else {
                throw StorageError.unknownUser(user.name)
            }
            try connection.execute("UPDATE users SET password_hash = ? WHERE id = ?", [.text(user.passwordHash), .integer(id)])
            try connection.execute("DELETE FROM user_rights WHERE user_id = ?", [.integer(id)])
            try connection.execute("DELETE FROM user_shops WHERE user_id = ?", [.integer(id)])
            try Self.grant(connection, user, to: id)
        }
    }

    /// Gives the user with `id` the rights and shops of `user`.
    private static func grant(_ connection: SQLiteConnection, _ user: NewUser, to id: Int64) throws {
        for right in user.rights {
            try connection.execute("INSERT INTO user_rights (user_id, right_name) VALUES (?, ?)", [.integer(id), .text(right.rawValue)])
        }
        for shop in user.shops {
            try connection.execute("INSERT INTO user_shops (user_id, shop_id) VALUES (?, ?)", [.integer(id), .integer(Int64(shop))])
        }
    }

    public func user(named name: String) async throws -> StoredUser? {
        try await database.read { connection in
            guard let row = try connection.query("SELECT id, password_hash FROM users WHERE name = ?", [.text(name)]).first,
                  let id = row.integer(0), let hash = row.text(1)
            else { return nil }
            return StoredUser(principal: try Self.principal(connection, userID: id, name: name), passwordHash: hash)
        }
    }

    public func addAPIToken(fingerprint: String, userID: Int64) async throws {
        try await database.write { connection in
            try connection.execute(
                "INSERT INTO api_tokens (fingerprint, user_id, created_at) VALUES (?, ?, ?)",
                [.text(fingerprint), .integer(userID), .integer(self.clock.nowMillis())]
            )
        }
    }

    public func principal(forAPIToken fingerprint: String) async throws -> Principal? {
        try await database.read { connection in
            let rows = try connection.query(
                "SELECT u.id, u.name FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.fingerprint = ?",
                [.text(fingerprint)]
            )
            guard let row = rows.first, let id = row.integer(0), let name = row.text(1) else { return nil }
            return try Self.principal(connection, userID: id, name: name)
        }
    }

    public func createSession(_ session: NewSession) async throws {
        try await database.write { connection in
            try connection.execute("DELETE FROM sessions WHERE expires_at <= ?", [.integer(self.clock.nowMillis())])
            try connection.execute(
                "INSERT INTO sessions (fingerprint, xsrf_fingerprint, user_id, expires_at) VALUES (?, ?, ?, ?)",
                [.text(session.fingerprint), .text(session.xsrfFingerprint), .integer(session.userID), .integer(session.expiresAt)]
            )
        }
    }

    public func session(fingerprint: String, now: Int64) async throws -> (principal: Principal, xsrfFingerprint: String)? {
        try await database.read { connection in
            let rows = try connection.query(
                """
                SELECT u.id, u.name, s.xsrf_fingerprint FROM sessions s JOIN users u ON u.id = s.user_id
                WHERE s.fingerprint = ? AND s.expires_at > ?
                """,
                [.text(fingerprint), .integer(now)]
            )
            guard let row = rows.first, let id = row.integer(0), let name = row.text(1), let xsrf = row.text(2) else { return nil }
            return (try Self.principal(connection, userID: id, name: name), xsrf)
        }
    }

    public func deleteSession(fingerprint: String) async throws {
        try await database.write { connection in
            try connection.execute("DELETE FROM sessions WHERE fingerprint = ?", [.text(fingerprint)])
        }
    }

    static func principal(_ connection: SQLiteConnection, userID: Int64, name: String) throws -> Principal {
        let rights = try connection.query("SELECT right_name FROM user_rights WHERE user_id = ?", [.integer(userID)])
            .compactMap { $0.text(0).flatMap(Right.init(rawValue:)) }
        let shops = try connection.query("SELECT shop_id FROM user_shops WHERE user_id = ?", [.integer(userID)])
            .compactMap { $0.integer(0).map(Int.init) }
        return Principal(userID: userID, name: name, rights: Set(rights), shops: Set(shops))
    }

    // MARK: preferences

    public func setPreference(_ preference: Preference, value: Int) async throws {
        try await database.write { connection in
            try connection.execute(
                """
                INSERT INTO preferences (name, value, updated_at) VALUES (?, ?, ?)
                ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
                """,
                [.text(preference.rawValue), .text(preference.text(of: value)), .integer(self.clock.nowMillis())]
            )
        }
    }

    public func storedPreference(_ preference: Preference) async throws -> String? {
        try await database.read { connection in
            try connection.query("SELECT value FROM preferences WHERE name = ?", [.text(preference.rawValue)]).first?.text(0)
        }
    }

    // MARK: shops, products, stock

    public func addMissingShops(_ shops: [Shop]) async throws {
        try await database.write { connection in
            for shop in shops {
                try connection.execute(
                    "INSERT INTO shops (id, name) VALUES (?, ?) ON CONFLICT (id) DO NOTHING",
                    [.integer(Int64(shop.id)), .text(shop.name)]
                )
            }
        }
    }

    public func shops(_ ids: [Int]) async throws -> [Shop] {
        try await database.read { connection in
            try connection.query(
                "SELECT id, name FROM shops WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id",
                [.json(.array(ids.map { .integer(Int64($0)) }))]
            ).compactMap { row in row.integer(0).flatMap { id in row.text(1).map { Shop(id: Int(id), name: $0) } } }
        }
    }

    public func addMissingStock(_ levels: [StockLevel], origin: ServerKey) async throws -> Int {
        try await database.write { connection in
            let now = self.clock.nowMillis()
            for shop in Set(levels.map(\.shop)).sorted() where try !Self.shopExists(connection, shop) {
                throw StorageError.unknownShop(shop)
            }
            var added = 0
            for level in levels {
                try Self.insertProduct(connection, level.product)
                let inserted = try connection.execute(
                    "INSERT INTO stock (shop_id, product_id, on_hand, blocked) VALUES (?, ?, 0, ?) ON CONFLICT DO NOTHING",
                    [.integer(Int64(level.shop)), .text(level.product), .integer(level.blocked)]
                )
                guard inserted == 1 else { continue }
                added += 1
                if level.onHand != 0 {
                    try Self.appendMovement(
                        connection, ProductKey(shop: level.shop, product: level.product), qty: level.onHand,
                        reason: .count, reference: nil, origin: origin, at: now
                    )
                }
            }
            return added
        }
    }

    public func setStock(shop: Int, _ settings: [StockSetting], origin: ServerKey, at now: Int64) async throws {
        try await database.write { connection in
            guard try Self.shopExists(connection, shop) else { throw StorageError.unknownShop(shop) }
            for setting in settings {
                try Self.insertProduct(connection, setting.product)
                try connection.execute(
                    """
                    INSERT INTO stock (shop_id, product_id, on_hand, blocked) VALUES (?, ?, 0, COALESCE(?, 0))
                    ON CONFLICT (shop_id, product_id) DO UPDATE SET blocked = COALESCE(excluded.blocked, stock.blocked)
                    """,
                    [.integer(Int64(shop)), .text(setting.product), setting.blocked.map(SQLiteValue.integer) ?? .null]
                )
                let current = try connection.query(
                    "SELECT on_hand FROM stock WHERE shop_id = ? AND product_id = ?", [.integer(Int64(shop)), .text(setting.product)]
                ).first?.integer(0) ?? 0
                if setting.onHand != current {
                    try Self.appendMovement(
                        connection, ProductKey(shop: shop, product: setting.product), qty: setting.onHand - current,
                        reason: .count, reference: nil, origin: origin, at: now
                    )
                }
            }
        }
    }

    public func recordMovements(
        shop: Int, _ requests: [MovementRequest], idempotency: IdempotentRequest?, origin: ServerKey, at now: Int64
    ) async throws -> MovementOutcome {
        try await database.write { connection in
            guard try Self.shopExists(connection, shop) else { throw StorageError.unknownShop(shop) }
            if let idempotency, let earlier = try Self.storedAnswer(connection, idempotency.claim, scope: .movements, at: now) {
                guard earlier.request == idempotency.request else { return .idempotencyKeyReused }
                return .recorded(try earlier.decoded(as: [RecordedMovement].self))
            }
            // On hand alone: what is reserved has no say in a movement.
            let rows = try connection.query(
                "SELECT product_id, on_hand FROM stock WHERE shop_id = ? AND product_id IN (SELECT value FROM json_each(?))",
                [.integer(Int64(shop)), .json(.array(Set(requests.map(\.product)).map(JSONValue.string)))]
            )
            let onHand = Dictionary(uniqueKeysWithValues: rows.compactMap { row in row.text(0).flatMap { id in row.integer(1).map { (id, $0) } } })
            switch MovementPlanner.plan(requests, onHand: onHand) {
            case .failure(let unknown):
                return .unknownProducts(unknown.products)
            case .success(let changes):
                let recorded = try changes.map { change in
                    let sequence = try Self.appendMovement(
                        connection, ProductKey(shop: shop, product: change.product), qty: change.qty, reason: change.reason,
                        reference: change.reference, origin: origin, at: now
                    )
                    return RecordedMovement(
                        origin: origin.value, sequence: sequence, product: change.product, qty: change.qty, reason: change.reason.rawValue
                    )
                }
                if let idempotency { try Self.storeAnswer(connection, idempotency, scope: .movements, answer: recorded, at: now) }
                return .recorded(recorded)
            }
        }
    }

    public func stockLevel(shop: Int, product: String) async throws -> StockLevel? {
        try await database.read { connection in
            let rows = try connection.query(
                "SELECT on_hand, blocked FROM stock WHERE shop_id = ? AND product_id = ?",
                [.integer(Int64(shop)), .text(product)]
            )
            guard let row = rows.first, let onHand = row.integer(0), let blocked = row.integer(1) else { return nil }
            return StockLevel(shop: shop, product: product, onHand: onHand, blocked: blocked)
        }
    }

    public func movementTotal(shop: Int, product: String) async throws -> Int64 {
        try await database.read { connection in
            try connection.query(
                "SELECT COALESCE(SUM(qty), 0) FROM movements WHERE shop_id = ? AND product_id = ?",
                [.integer(Int64(shop)), .text(product)]
            ).first?.integer(0) ?? 0
        }
    }

    public func shopExists(_ shop: Int) async throws -> Bool {
        try await database.read { connection in try Self.shopExists(connection, shop) }
    }

    public func productStock(shop: Int, products: [String], at now: Int64) async throws -> [String: ProductStock] {
        try await database.readOnWriter { [reservedLedger] connection in
            let keys = Set(products).map { ProductKey(shop: shop, product: $0) }
            let stock = try Self.productStock(connection, keys, at: now, reservedLedger)
            return Dictionary(uniqueKeysWithValues: stock.map { ($0.key.product, $0.value) })
        }
    }

    static func shopExists(_ connection: SQLiteConnection, _ shop: Int) throws -> Bool {
        try !connection.query("SELECT 1 FROM shops WHERE id = ?", [.integer(Int64(shop))]).isEmpty
    }

    /// The stock of every product in `keys` that has a stock row, in one statement however many
    /// there are: the keys go in as one JSON array, which `json_each` turns back into rows.
    static func productStock(
        _ connection: SQLiteConnection, _ keys: [ProductKey], at now: Int64, _ ledger: SQLiteReservedLedger
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
            guard let shop = row.integer(0), let product = row.text(1), let onHand = row.integer(2), let blocked = row.integer(3),
                  let modifiedAt = row.integer(4)
            else { continue }
            let key = ProductKey(shop: Int(shop), product: product)
            stock[key] = ProductStock(onHand: onHand, blocked: blocked, reserved: reserved[key] ?? 0, modifiedAt: modifiedAt)
        }
        return stock
    }

    private static func insertProduct(_ connection: SQLiteConnection, _ product: String) throws {
        try connection.execute("INSERT INTO products (id) VALUES (?) ON CONFLICT (id) DO NOTHING", [.text(product)])
    }

    /// Records one movement under the next sequence number of its origin, applies it to on hand,
    /// and returns that sequence number.
    @discardableResult
    static func appendMovement(
        _ connection: SQLiteConnection, _ key: ProductKey, qty: Int64, reason: MovementReason, reference: String?,
        origin: ServerKey, at now: Int64
    ) throws -> Int64 {
        let sequence = try connection.query(
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
            [.text(origin.value), .integer(sequence), .integer(Int64(key.shop)), .text(key.product),
             .integer(qty), .text(reason.rawValue), reference.map(SQLiteValue.text) ?? .null, .integer(now)]
        )
        try connection.execute(
            "UPDATE stock SET on_hand = on_hand + ? WHERE shop_id = ? AND product_id = ?",
            [.integer(qty), .integer(Int64(key.shop)), .text(key.product)]
        )
        return sequence
    }

    // MARK: server registry

    public func registerServer(_ server: ServerRegistration, tokenFingerprint: String?) async throws {
        try await database.write { connection in
            _ = try Self.mappingConstraintViolation(to: .alreadyExists("server '\(server.key)'")) {
                try connection.execute(
                    "INSERT INTO servers (key, name, type, url, token_fingerprint) VALUES (?, ?, ?, ?, ?)",
                    [.text(server.key.value), .text(server.name), .text(server.type.rawValue),
                     server.url.map(SQLiteValue.text) ?? .null, tokenFingerprint.map(SQLiteValue.text) ?? .null]
                )
            }
            for shop in server.shops {
                try connection.execute(
                    "INSERT INTO server_shops (server_key, shop_id) VALUES (?, ?)", [.text(server.key.value), .integer(Int64(shop))]
                )
            }
        }
    }

    public func server(key: ServerKey) async throws -> StoredServer? {
        try await database.read { connection in try Self.servers(connection, .key(key)).first }
    }

    public func servers() async throws -> [StoredServer] {
        try await database.read { connection in try Self.servers(connection, nil) }
    }

    public func server(tokenFingerprint: String) async throws -> StoredServer? {
        try await database.read { connection in try Self.servers(connection, .tokenFingerprint(tokenFingerprint)).first }
    }

    public func recordServerStatus(_ key: ServerKey, _ status: ServerStatus, at now: Int64, reason: String?) async throws {
        try await database.write { connection in
            try connection.execute(
                "UPDATE servers SET status = ?, updated_at = ?, offline_log = COALESCE(?, offline_log) WHERE key = ?",
                [.text(status.rawValue), .integer(now), StoredServer.clippedReason(reason).map(SQLiteValue.text) ?? .null, .text(key.value)]
            )
        }
    }

    public func recordPing(_ key: ServerKey, at now: Int64) async throws {
        try await database.write { connection in
            try connection.execute("UPDATE servers SET last_ping = ? WHERE key = ?", [.integer(now), .text(key.value)])
        }
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

    /// The servers `filter` picks, all of them when it is nil. A statement of its own per filter,
    /// so that finding a store by its token, at each of its requests, uses the index.
    private static func servers(_ connection: SQLiteConnection, _ filter: ServerFilter?) throws -> [StoredServer] {
        let (condition, bindings): (String, [SQLiteValue]) = switch filter {
        case .key(let key): ("WHERE key = ?", [.text(key.value)])
        case .tokenFingerprint(let fingerprint): ("WHERE token_fingerprint = ?", [.text(fingerprint)])
        case nil: ("", [])
        }
        let rows = try connection.query(
            "SELECT key, name, type, url, status, updated_at, last_ping, offline_log, token_fingerprint FROM servers \(condition) ORDER BY key",
            bindings
        )
        let shopRows = try connection.query(
            "SELECT server_key, shop_id FROM server_shops WHERE server_key IN (SELECT value FROM json_each(?)) ORDER BY shop_id",
            [.json(.array(rows.compactMap { $0.text(0) }.map(JSONValue.string)))]
        )
        let shops = Dictionary(grouping: shopRows.compactMap { row in row.text(0).flatMap { key in row.integer(1).map { (key, Int($0)) } } }, by: \.0)
        return rows.compactMap { row in
            guard let keyText = row.text(0), let serverKey = try? ServerKey(keyText), let name = row.text(1),
                  let type = row.text(2).flatMap(ServerType.init(rawValue:)), let status = row.text(4).flatMap(ServerStatus.init(rawValue:))
            else { return nil }
            return StoredServer(
                registration: ServerRegistration(
                    key: serverKey, name: name, type: type, url: row.text(3), shops: (shops[keyText] ?? []).map(\.1)
                ),
                status: status, updatedAt: row.integer(5), lastPing: row.integer(6), offlineLog: row.text(7), tokenFingerprint: row.text(8)
            )
        }
    }
}
