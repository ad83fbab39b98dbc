import BackroomCore
import Logging
import NIOSSL
import PostgresNIO
import ServiceLifecycle

/// `BackroomStorage` on PostgreSQL through PostgresNIO's connection pool.
public final class PostgresStorage: BackroomStorage {
    public let kind = DatabaseKind.postgresql
    /// Enough to keep a batch being planned while others wait for their commit.
    public let concurrentWriters = 2
    let client: PostgresClient
    private let location: PostgresLocation
    let logger: Logger
    let clock: BackroomClock

    public init(location: PostgresLocation, clock: BackroomClock, logger: Logger) {
        self.clock = clock
        let tls: PostgresClient.Configuration.TLS = switch location.tls {
        case .disable: .disable
        case .prefer: .prefer(.makeClientConfiguration())
        case .require: .require(.makeClientConfiguration())
        }
        var configuration = PostgresClient.Configuration(
            host: location.host, port: location.port, username: location.user,
            password: location.password, database: location.database, tls: tls
        )
        configuration.options.connectTimeout = .seconds(5)
        client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.location = location
        self.logger = logger
    }

    /// The pool retries failed connections quietly; one direct connection tells at once why it
    /// cannot connect (refused, wrong password, no such database).
    public func checkReachable() async throws {
        let probe: PostgresConnection
        do {
            probe = try await PostgresConnection.connect(
                configuration: PostgresConnection.Configuration(
                    host: location.host, port: location.port, username: location.user,
                    password: location.password, database: location.database, tls: try Self.connectionTLS(location.tls)
                ),
                id: 0,
                logger: logger
            )
        } catch {
            throw StorageError.unreachable(Self.reason(error))
        }
        try await probe.close()
    }

    public func run() async throws {
        await client.run()
    }

    public func close() async throws {}

    public func databaseVersion() async throws -> String {
        let rows = try await client.query("SHOW server_version", logger: logger)
        for try await version in rows.decode(String.self) {
            return "PostgreSQL " + (version.split(separator: " ").first.map(String.init) ?? version)
        }
        return "PostgreSQL"
    }

    public func migrate() async throws -> [Int] {
        try await transaction { connection in
            // Taken before anything else, so that two processes starting together neither
            // race on creating the bookkeeping table nor apply a migration twice.
            try await connection.query("SELECT pg_advisory_xact_lock(\(Schema.migrationLockKey))", logger: logger)
            try await connection.query(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
                logger: logger
            )
            let applied = try await Self.appliedMigrations(connection, logger: logger)
            let pending = try MigrationPlan.pending(known: Schema.migrations.map(\.version), applied: Set(applied))
            for migration in Schema.migrations where pending.contains(migration.version) {
                for statement in migration.statements(for: .postgresql) {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (\(migration.version), \(migration.name), \(clock.nowMillis()))",
                    logger: logger
                )
            }
            return pending
        }
    }

    public func appliedMigrations() async throws -> [Int] {
        try await client.withConnection { connection in
            let exists = try await connection.query("SELECT to_regclass('schema_migrations') IS NOT NULL", logger: logger)
            for try await present in exists.decode(Bool.self) where present {
                return try await Self.appliedMigrations(connection, logger: logger)
            }
            return []
        }
    }

    private static func appliedMigrations(_ connection: PostgresConnection, logger: Logger) async throws -> [Int] {
        let rows = try await connection.query("SELECT version FROM schema_migrations ORDER BY version", logger: logger)
        return try await rows.decode(Int.self).collect()
    }

    // MARK: users and credentials

    public func createUser(_ user: NewUser) async throws -> Int64 {
        try await transaction { connection in
            let rows = try await Self.mapping(.uniqueViolation, to: .alreadyExists("user '\(user.name)'")) {
                try await connection.query(
                    "INSERT INTO users (name, password_hash, created_at) VALUES (\(user.name), \(user.passwordHash), \(clock.nowMillis())) RETURNING id",
                    logger: logger
                ).decode(Int64.self).collect()
            }
            guard let id = rows.first else { throw StorageError.unreachable("no id returned for new user") }
            try await Self.grant(connection, user, to: id, logger: logger)
            return id
        }
    }

    public func updateUser(_ user: NewUser) async throws {
        try await transaction { connection in
            let rows = try await connection.query(
                "UPDATE users SET password_hash = \(user.passwordHash) WHERE name = \(user.name) RETURNING id", logger: logger
            ).decode(Int64.self).collect()
            guard let id = rows.first else { throw StorageError.unknownUser(user.name) }
            try await connection.query("DELETE FROM user_rights WHERE user_id = \(id)", logger: logger)
            try await connection.query("DELETE FROM user_shops WHERE user_id = \(id)", logger: logger)
            try await Self.grant(connection, user, to: id, logger: logger)
        }
    }

    /// Gives the user with `id` the rights and shops of `user`.
    private static func grant(_ connection: PostgresConnection, _ user: NewUser, to id: Int64, logger: Logger) async throws {
        let rights = user.rights.map(\.rawValue)
        let shops = user.shops.map(Int64.init)
        try await connection.query("INSERT INTO user_rights (user_id, right_name) SELECT \(id), unnest(\(rights)::text[])", logger: logger)
        try await connection.query("INSERT INTO user_shops (user_id, shop_id) SELECT \(id), unnest(\(shops)::bigint[])", logger: logger)
    }

    public func user(named name: String) async throws -> StoredUser? {
        try await client.withConnection { connection in
            let rows = try await connection.query("SELECT id, password_hash FROM users WHERE name = \(name)", logger: logger)
            for try await (id, hash) in rows.decode((Int64, String).self) {
                return StoredUser(principal: try await Self.principal(connection, userID: id, name: name, logger: logger), passwordHash: hash)
            }
            return nil
        }
    }

    public func addAPIToken(fingerprint: String, userID: Int64) async throws {
        try await client.query(
            "INSERT INTO api_tokens (fingerprint, user_id, created_at) VALUES (\(fingerprint), \(userID), \(clock.nowMillis()))",
            logger: logger
        )
    }

    public func principal(forAPIToken fingerprint: String) async throws -> Principal? {
        try await client.withConnection { connection in
            let rows = try await connection.query(
                "SELECT u.id, u.name FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.fingerprint = \(fingerprint)",
                logger: logger
            )
            for try await (id, name) in rows.decode((Int64, String).self) {
                return try await Self.principal(connection, userID: id, name: name, logger: logger)
            }
            return nil
        }
    }

    public func createSession(_ session: NewSession) async throws {
        try await transaction { connection in
            try await connection.query("DELETE FROM sessions WHERE expires_at <= \(clock.nowMillis())", logger: logger)
            try await connection.query(
                """
                INSERT INTO sessions (fingerprint, xsrf_fingerprint, user_id, expires_at)
                VALUES (\(session.fingerprint), \(session.xsrfFingerprint), \(session.userID), \(session.expiresAt))
                """,
                logger: logger
            )
        }
    }

    public func session(fingerprint: String, now: Int64) async throws -> (principal: Principal, xsrfFingerprint: String)? {
        try await client.withConnection { connection in
            let rows = try await connection.query(
                """
                SELECT u.id, u.name, s.xsrf_fingerprint FROM sessions s JOIN users u ON u.id = s.user_id
                WHERE s.fingerprint = \(fingerprint) AND s.expires_at > \(now)
                """,
                logger: logger
            )
            for try await (id, name, xsrf) in rows.decode((Int64, String, String).self) {
                return (try await Self.principal(connection, userID: id, name: name, logger: logger), xsrf)
            }
            return nil
        }
    }

    public func deleteSession(fingerprint: String) async throws {
        try await client.query("DELETE FROM sessions WHERE fingerprint = \(fingerprint)", logger: logger)
    }

    static func principal(_ connection: PostgresConnection, userID: Int64, name: String, logger: Logger) async throws -> Principal {
        let rights = try await connection.query("SELECT right_name FROM user_rights WHERE user_id = \(userID)", logger: logger)
            .decode(String.self).collect().compactMap(Right.init(rawValue:))
        let shops = try await connection.query("SELECT shop_id FROM user_shops WHERE user_id = \(userID)", logger: logger)
            .decode(Int64.self).collect().map(Int.init)
        return Principal(userID: userID, name: name, rights: Set(rights), shops: Set(shops))
    }

    // MARK: preferences

    public func setPreference(_ preference: Preference, value: Int) async throws {
        try await client.query(
            """
            INSERT INTO preferences (name, value, updated_at) VALUES (\(preference.rawValue), \(preference.text(of: value)), \(clock.nowMillis()))
            ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
            """,
            logger: logger
        )
    }

    public func storedPreference(_ preference: Preference) async throws -> String? {
        let rows = try await client.query("SELECT value FROM preferences WHERE name = \(preference.rawValue)", logger: logger)
        return try await rows.decode(String.self).collect().first
    }

    // MARK: shops, products, stock

    public func addMissingShops(_ shops: [Shop]) async throws {
        let ids = shops.map { Int64($0.id) }
        let names = shops.map(\.name)
        try await client.query(
            "INSERT INTO shops (id, name) SELECT * FROM unnest(\(ids)::bigint[], \(names)::text[]) ON CONFLICT (id) DO NOTHING",
            logger: logger
        )
    }

    public func shops(_ ids: [Int]) async throws -> [Shop] {
        let wanted = ids.map(Int64.init)
        return try await client.query("SELECT id, name FROM shops WHERE id = ANY(\(wanted)::bigint[]) ORDER BY id", logger: logger)
            .decode((Int64, String).self).collect().map { Shop(id: Int($0.0), name: $0.1) }
    }

    public func addMissingStock(_ levels: [StockLevel], origin: ServerKey) async throws -> Int {
        try await transaction { connection in
            try await Self.requireShops(Set(levels.map(\.shop)), connection, logger: logger)
            let products = levels.map(\.product)
            try await connection.query(
                "INSERT INTO products (id) SELECT unnest(\(products)::text[]) ON CONFLICT (id) DO NOTHING", logger: logger
            )
            let shops = levels.map { Int64($0.shop) }
            let blocked = levels.map(\.blocked)
            let inserted = try await connection.query(
                """
                INSERT INTO stock (shop_id, product_id, on_hand, blocked)
                SELECT shop_id, product_id, 0, blocked FROM unnest(\(shops)::bigint[], \(products)::text[], \(blocked)::bigint[])
                    AS input (shop_id, product_id, blocked)
                ON CONFLICT DO NOTHING RETURNING shop_id, product_id
                """,
                logger: logger
            ).decode((Int64, String).self).collect()
            let added = Set(inserted.map { ProductKey(shop: Int($0.0), product: $0.1) })
            let counts = levels.filter { added.contains(ProductKey(shop: $0.shop, product: $0.product)) && $0.onHand != 0 }
            try await Self.appendMovements(
                counts.map { (ProductKey(shop: $0.shop, product: $0.product), $0.onHand, .count, nil) }, origin: origin,
                at: clock.nowMillis(), connection, logger: logger
            )
            return added.count
        }
    }

    public func setStock(shop: Int, _ settings: [StockSetting], origin: ServerKey, at now: Int64) async throws {
        try await transaction { connection in
            try await Self.requireShops([shop], connection, logger: logger)
            let products = settings.map(\.product)
            try await connection.query(
                "INSERT INTO products (id) SELECT unnest(\(products)::text[]) ON CONFLICT (id) DO NOTHING", logger: logger
            )
            var changes: [(key: ProductKey, qty: Int64)] = []
            for setting in settings {
                let current = try await connection.query(
                    """
                    INSERT INTO stock (shop_id, product_id, on_hand, blocked)
                    VALUES (\(Int64(shop)), \(setting.product), 0, COALESCE(\(setting.blocked)::bigint, 0))
                    ON CONFLICT (shop_id, product_id) DO UPDATE SET blocked = COALESCE(\(setting.blocked)::bigint, stock.blocked)
                    RETURNING on_hand
                    """,
                    logger: logger
                ).decode(Int64.self).collect().first ?? 0
                if setting.onHand != current {
                    changes.append((ProductKey(shop: shop, product: setting.product), setting.onHand - current))
                }
            }
            try await Self.appendMovements(
                changes.map { ($0.key, $0.qty, .count, nil) }, origin: origin, at: now, connection, logger: logger
            )
        }
    }

    public func recordMovements(
        shop: Int, _ requests: [MovementRequest], idempotency: IdempotentRequest?, origin: ServerKey, at now: Int64
    ) async throws -> MovementOutcome {
        try await transaction { connection in
            try await Self.requireShops([shop], connection, logger: logger)
            if let idempotency,
               let earlier = try await Self.storedAnswers([idempotency.claim], scope: .movements, at: now, connection, logger: logger)
                .values.first {
                guard earlier.request == idempotency.request else { return .idempotencyKeyReused }
                return .recorded(try earlier.decoded(as: [RecordedMovement].self))
            }
            // Locked in the order reservation batches lock them, so that a count reads the on hand
            // it corrects and nothing changes it before the commit.
            let products = Array(Set(requests.map(\.product)))
            let rows = try await connection.query(
                """
                SELECT product_id, on_hand FROM stock WHERE shop_id = \(Int64(shop)) AND product_id = ANY(\(products)::text[])
                ORDER BY product_id COLLATE "C" FOR UPDATE
                """,
                logger: logger
            ).decode((String, Int64).self).collect()
            switch MovementPlanner.plan(requests, onHand: Dictionary(uniqueKeysWithValues: rows)) {
            case .failure(let unknown):
                return .unknownProducts(unknown.products)
            case .success(let changes):
                let sequences = try await Self.appendMovements(
                    changes.map { (ProductKey(shop: shop, product: $0.product), $0.qty, $0.reason, $0.reference) },
                    origin: origin, at: now, connection, logger: logger
                )
                let recorded = zip(sequences, changes).map { sequence, change in
                    RecordedMovement(
                        origin: origin.value, sequence: sequence, product: change.product, qty: change.qty, reason: change.reason.rawValue
                    )
                }
                if let idempotency {
                    try await Self.storeAnswers(
                        [(idempotency, try IdempotencyKeys.encode(recorded))], scope: .movements, at: now, connection, logger: logger
                    )
                }
                return .recorded(recorded)
            }
        }
    }

    public func stockLevel(shop: Int, product: String) async throws -> StockLevel? {
        let rows = try await client.query(
            "SELECT on_hand, blocked FROM stock WHERE shop_id = \(Int64(shop)) AND product_id = \(product)", logger: logger
        )
        for try await (onHand, blocked) in rows.decode((Int64, Int64).self) {
            return StockLevel(shop: shop, product: product, onHand: onHand, blocked: blocked)
        }
        return nil
    }

    public func movementTotal(shop: Int, product: String) async throws -> Int64 {
        let rows = try await client.query(
            "SELECT COALESCE(SUM(qty), 0)::bigint FROM movements WHERE shop_id = \(Int64(shop)) AND product_id = \(product)",
            logger: logger
        )
        return try await rows.decode(Int64.self).collect().first ?? 0
    }

    public func shopExists(_ shop: Int) async throws -> Bool {
        let rows = try await client.query("SELECT 1 FROM shops WHERE id = \(Int64(shop))", logger: logger)
        return try await !rows.decode(Int.self).collect().isEmpty
    }

    public func productStock(shop: Int, products: [String], at now: Int64) async throws -> [String: ProductStock] {
        try await client.withConnection { connection in
            let stock = try await Self.productStock(
                Set(products).map { ProductKey(shop: shop, product: $0) }, at: now, lock: false, connection, logger: logger
            )
            return Dictionary(uniqueKeysWithValues: stock.map { ($0.key.product, $0.value) })
        }
    }

    /// On hand, blocked and reserved of the products that exist, `keys` given once each; with
    /// `lock`, their stock rows are locked in `ProductKey` order (byte order of the id, hence
    /// `COLLATE "C"`), the one order every writer uses, so that writers never deadlock.
    static func productStock(
        _ keys: [ProductKey], at now: Int64, lock: Bool, _ connection: PostgresConnection, logger: Logger
    ) async throws -> [ProductKey: ProductStock] {
        guard !keys.isEmpty else { return [:] }
        let shops = keys.map { Int64($0.shop) }
        let products = keys.map(\.product)
        let rows = try await connection.query(
            """
            SELECT s.shop_id, s.product_id, s.on_hand, s.blocked, s.modified_at FROM stock s
            JOIN unnest(\(shops)::bigint[], \(products)::text[]) AS wanted (shop_id, product_id)
                ON s.shop_id = wanted.shop_id AND s.product_id = wanted.product_id
            \(unescaped: lock ? #"ORDER BY s.shop_id, s.product_id COLLATE "C" FOR UPDATE OF s"# : "")
            """,
            logger: logger
        ).decode((Int64, String, Int64, Int64, Int64).self).collect()
        // One index range scan per product, from its first unexpired bucket on: the planner
        // would otherwise walk the whole bucket index by expiry alone. A statement of its own,
        // after the lock, so that it sees what the previous holder of the lock committed.
        let reserved = try await connection.query(
            """
            SELECT wanted.shop_id, wanted.product_id, COALESCE((
                SELECT SUM(b.qty) FROM reserved_buckets b
                WHERE b.shop_id = wanted.shop_id AND b.product_id = wanted.product_id AND b.expires_at > \(now)
            ), 0)::bigint
            FROM unnest(\(shops)::bigint[], \(products)::text[]) AS wanted (shop_id, product_id)
            """,
            logger: logger
        ).decode((Int64, String, Int64).self).collect()
        let held = Dictionary(uniqueKeysWithValues: reserved.map { (ProductKey(shop: Int($0.0), product: $0.1), $0.2) })
        var stock: [ProductKey: ProductStock] = [:]
        for (shop, product, onHand, blocked, modifiedAt) in rows {
            let key = ProductKey(shop: Int(shop), product: product)
            stock[key] = ProductStock(onHand: onHand, blocked: blocked, reserved: held[key] ?? 0, modifiedAt: modifiedAt)
        }
        return stock
    }

    static func requireShops(_ shops: Set<Int>, _ connection: PostgresConnection, logger: Logger) async throws {
        let wanted = shops.map(Int64.init)
        let known = try await connection.query("SELECT id FROM shops WHERE id = ANY(\(wanted)::bigint[])", logger: logger)
            .decode(Int64.self).collect()
        if let missing = shops.subtracting(known.map(Int.init)).min() {
            throw StorageError.unknownShop(missing)
        }
    }

    /// Records movements under consecutive sequence numbers of their origin and applies them to
    /// on hand; the counter row's lock keeps an origin's sequence in commit order.
    @discardableResult
    static func appendMovements(
        _ changes: [(key: ProductKey, qty: Int64, reason: MovementReason, reference: String?)], origin: ServerKey, at now: Int64,
        _ connection: PostgresConnection, logger: Logger
    ) async throws -> [Int64] {
        guard !changes.isEmpty else { return [] }
        let count = Int64(changes.count)
        let last = try await connection.query(
            """
            INSERT INTO origin_counters (origin, last_seq) VALUES (\(origin.value), \(count))
            ON CONFLICT (origin) DO UPDATE SET last_seq = origin_counters.last_seq + excluded.last_seq RETURNING last_seq
            """,
            logger: logger
        ).decode(Int64.self).collect().first ?? count
        let sequences = (0..<count).map { last - count + 1 + $0 }
        let shops = changes.map { Int64($0.key.shop) }
        let products = changes.map(\.key.product)
        let quantities = changes.map(\.qty)
        let reasons = changes.map(\.reason.rawValue)
        let references = changes.map { $0.reference ?? "" }
        try await connection.query(
            """
            INSERT INTO movements (origin, origin_seq, shop_id, product_id, qty, reason, reference, created_at)
            SELECT \(origin.value), origin_seq, shop_id, product_id, qty, reason, NULLIF(reference, ''), \(now)
            FROM unnest(\(sequences)::bigint[], \(shops)::bigint[], \(products)::text[], \(quantities)::bigint[],
                        \(reasons)::text[], \(references)::text[])
                AS input (origin_seq, shop_id, product_id, qty, reason, reference)
            """,
            logger: logger
        )
        try await connection.query(
            """
            UPDATE stock SET on_hand = stock.on_hand + input.qty
            FROM (SELECT shop_id, product_id, SUM(qty) AS qty
                  FROM unnest(\(shops)::bigint[], \(products)::text[], \(quantities)::bigint[]) AS changes (shop_id, product_id, qty)
                  GROUP BY shop_id, product_id) AS input
            WHERE stock.shop_id = input.shop_id AND stock.product_id = input.product_id
            """,
            logger: logger
        )
        return sequences
    }

    // MARK: server registry

    public func registerServer(_ server: ServerRegistration, tokenFingerprint: String?) async throws {
        try await transaction { connection in
            try await Self.mapping(.uniqueViolation, to: .alreadyExists("server '\(server.key)'")) {
                try await connection.query(
                    """
                    INSERT INTO servers (key, name, type, url, token_fingerprint)
                    VALUES (\(server.key.value), \(server.name), \(server.type.rawValue), \(server.url), \(tokenFingerprint))
                    """,
                    logger: logger
                )
            }
            let shops = server.shops.map(Int64.init)
            try await connection.query(
                "INSERT INTO server_shops (server_key, shop_id) SELECT \(server.key.value), unnest(\(shops)::bigint[])", logger: logger
            )
        }
    }

    public func server(key: ServerKey) async throws -> StoredServer? {
        try await Self.servers(client, .key(key), logger: logger).first
    }

    public func servers() async throws -> [StoredServer] {
        try await Self.servers(client, nil, logger: logger)
    }

    public func server(tokenFingerprint: String) async throws -> StoredServer? {
        try await Self.servers(client, .tokenFingerprint(tokenFingerprint), logger: logger).first
    }

    public func recordServerStatus(_ key: ServerKey, _ status: ServerStatus, at now: Int64, reason: String?) async throws {
        try await client.query(
            """
            UPDATE servers SET status = \(status.rawValue), updated_at = \(now),
                offline_log = COALESCE(\(StoredServer.clippedReason(reason)), offline_log)
            WHERE key = \(key.value)
            """,
            logger: logger
        )
    }

    public func recordPing(_ key: ServerKey, at now: Int64) async throws {
        try await client.query("UPDATE servers SET last_ping = \(now) WHERE key = \(key.value)", logger: logger)
    }

    /// The servers `filter` picks, all of them when it is nil, in one statement.
    private static func servers(_ client: PostgresClient, _ filter: ServerFilter?, logger: Logger) async throws -> [StoredServer] {
        var key: String?
        var fingerprint: String?
        switch filter {
        case .key(let wanted): key = wanted.value
        case .tokenFingerprint(let wanted): fingerprint = wanted
        case nil: break
        }
        let rows = try await client.query(
            """
            SELECT s.key, s.name, s.type, s.url, s.status, s.updated_at, s.last_ping, s.offline_log, s.token_fingerprint,
                ARRAY(SELECT shop_id FROM server_shops WHERE server_key = s.key ORDER BY shop_id)
            FROM servers s
            WHERE (\(key)::text IS NULL OR s.key = \(key)) AND (\(fingerprint)::text IS NULL OR s.token_fingerprint = \(fingerprint))
            ORDER BY s.key
            """,
            logger: logger
        ).decode((String, String, String, String?, String, Int64?, Int64?, String?, String?, [Int64]).self).collect()
        return rows.compactMap { keyText, name, typeName, url, statusName, updatedAt, lastPing, offlineLog, fingerprint, shops in
            guard let serverKey = try? ServerKey(keyText), let type = ServerType(rawValue: typeName),
                  let status = ServerStatus(rawValue: statusName)
            else { return nil }
            return StoredServer(
                registration: ServerRegistration(key: serverKey, name: name, type: type, url: url, shops: shops.map(Int.init)),
                status: status, updatedAt: updatedAt, lastPing: lastPing, offlineLog: offlineLog, tokenFingerprint: fingerprint
            )
        }
    }

    /// `PostgresClient.withTransaction`, but the closure's own error comes out as itself, so
    /// that both implementations throw the same `StorageError`s.
    func transaction<Result>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresConnection) async throws -> sending Result
    ) async throws -> sending Result {
        do {
            return try await client.withTransaction(logger: logger, isolation: isolation, body)
        } catch let error as PostgresTransactionError {
            throw error.closureError ?? error
        }
    }

    private static func connectionTLS(_ mode: PostgresLocation.TLSMode) throws -> PostgresConnection.Configuration.TLS {
        switch mode {
        case .disable: .disable
        case .prefer: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case .require: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
    }

    /// The server's own message where there is one, else the network's.
    private static func reason(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return "\(error)" }
        if let message = error.serverInfo?[.message] { return message }
        if let underlying = error.underlying { return "\(underlying)" }
        return "\(error.code)"
    }

    @discardableResult
    static func mapping<Result>(
        _ code: PostgresError.Code, to storageError: StorageError, _ body: () async throws -> Result
    ) async throws -> Result {
        do {
            return try await body()
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == code.raw {
            throw storageError
        }
    }
}
