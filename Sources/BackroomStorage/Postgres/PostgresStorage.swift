import BackroomCore
import Logging
import NIOConcurrencyHelpers
import NIOSSL
import PostgresNIO
import ServiceLifecycle

/// Every store of `BackroomStorage` on PostgreSQL, through PostgresNIO's connection pool; each feature's
/// SQL is in a file of its own (`PostgresStockStore`, …).
public final class PostgresStorage: Database {
    public let kind = DatabaseKind.postgresql
    public let changes = ChangeFeed(live: false)
    /// Enough to keep a batch being planned while others wait for their commit.
    public let concurrentWriters = 2
    /// A pool for each server the URL names, each running before it can be chosen: moving to
    /// another server is choosing its pool, never starting one while requests are on their way
    /// to it (which left requests waiting for ever, found by the fleet bench). The pool of the
    /// server left is retired, failing what waits in it, and a fresh one made in its place.
    let pools: NIOLockedValueBox<(all: [PostgresClient], inUse: Int, retired: Set<ObjectIdentifier>)>
    var client: CheckedPostgresClient { CheckedPostgresClient(pool: pools.withLockedValue { $0.all[$0.inUse] }) }
    /// Pools for `run()` to run: the first ones, then each fresh one.
    let poolsToRun: (stream: AsyncStream<PostgresClient>, continuation: AsyncStream<PostgresClient>.Continuation)
    let location: PostgresLocation
    let logger: Logger
    let clock: BackroomClock
    let applicationName: String

    public init(location: PostgresLocation, clock: BackroomClock, logger: Logger) {
        self.clock = clock
        let applicationName = "backroom-\(String(UInt64.random(in: 0 ... .max), radix: 16))"
        self.applicationName = applicationName
        let first = location.endpoints.map { Self.pool(location, $0, applicationName, logger) }
        pools = NIOLockedValueBox((first, 0, []))
        poolsToRun = AsyncStream.makeStream()
        for pool in first { poolsToRun.continuation.yield(pool) }
        self.location = location
        self.logger = logger
    }

    static func pool(
        _ location: PostgresLocation,
        _ endpoint: PostgresLocation.Endpoint,
        _ applicationName: String,
        _ logger: Logger
    ) -> PostgresClient {
        let tls: PostgresClient.Configuration.TLS =
            switch location.tls {
            case .disable: .disable
            case .prefer: .prefer(.makeClientConfiguration())
            case .require: .require(.makeClientConfiguration())
            }
        var configuration = PostgresClient.Configuration(
            host: endpoint.host,
            port: endpoint.port,
            username: location.user,
            password: location.password,
            database: location.database,
            tls: tls
        )
        configuration.options.connectTimeout = .seconds(5)
        // The name this process's connections go by, so that it can count its own.
        configuration.options.additionalStartupParameters = [("application_name", applicationName)]
        return PostgresClient(configuration: configuration, backgroundLogger: logger)
    }

    /// Whether the storage looks for the primary among the URL's servers, and follows it.
    var followsPrimary: Bool { location.endpoints.count > 1 || location.requiresPrimary }

    /// The pool retries failed connections quietly; one direct connection tells at once why it
    /// cannot connect (refused, wrong password, no such database). With several servers, the
    /// first that will do is the one used from now on.
    public func checkReachable() async throws {
        guard followsPrimary else {
            let probe: PostgresConnection
            do {
                probe = try await directConnection(to: location.endpoints[0], id: 0)
            } catch {
                throw StorageError.unreachable(Self.reason(error))
            }
            try await probe.close()
            return
        }
        var reasons: [String] = []
        for (index, endpoint) in location.endpoints.enumerated() {
            switch await usable(endpoint) {
            case .success:
                use(index)
                return
            case .failure(let reason): reasons.append("\(endpoint): \(reason)")
            }
        }
        throw StorageError.unreachable(reasons.joined(separator: "; "))
    }

    /// A connection of its own, outside the pool, to the server in use unless told another.
    func directConnection(
        to endpoint: PostgresLocation.Endpoint? = nil,
        id: Int,
        connectTimeout: TimeAmount = .seconds(10)
    ) async throws -> PostgresConnection {
        let endpoint = endpoint ?? location.endpoints[pools.withLockedValue { $0.inUse }]
        var configuration = PostgresConnection.Configuration(
            host: endpoint.host,
            port: endpoint.port,
            username: location.user,
            password: location.password,
            database: location.database,
            tls: try Self.connectionTLS(location.tls)
        )
        configuration.options.connectTimeout = connectTimeout
        return try await PostgresConnection.connect(configuration: configuration, id: id, logger: logger)
    }

    public func run() async throws {
        await withDiscardingTaskGroup { group in
            if followsPrimary { group.addTask { await cancelWhenGracefulShutdown { await self.followPrimary() } } }
            // The pools end on a graceful shutdown by themselves; the listener with them.
            group.addTask { await cancelWhenGracefulShutdown { await self.listenForChanges() } }
            for await pool in poolsToRun.stream.cancelOnGracefulShutdown() {
                group.addTask { await self.runUntilRetired(pool) }
            }
        }
    }

    public func close() async throws {}

    /// Counted by the server, which is the only one to see every connection of the pool; the
    /// connection asking is busy and is left out.
    public func connectionUse() async throws -> ConnectionUse {
        let rows = try await client.query(
            """
            SELECT COUNT(*)::bigint, (COUNT(*) FILTER (WHERE state NOT IN ('idle') AND pid <> pg_backend_pid()))::bigint
            FROM pg_stat_activity WHERE application_name = \(applicationName)
            """,
            logger: logger
        ).decode((Int64, Int64).self).collect()
        return ConnectionUse(open: Int(rows.first?.0 ?? 0), inUse: Int(rows.first?.1 ?? 0))
    }

    public func databaseVersion() async throws -> String {
        let rows = try await client.query("SHOW server_version", logger: logger)
        for try await version in rows.decode(String.self) {
            return "PostgreSQL " + (version.split(separator: " ").first.map(String.init) ?? version)
        }
        return "PostgreSQL"
    }

    public func migrate() async throws -> [Int] {
        try await client.withConnection { connection in
            // Held for the whole run, taken before anything else, so that two processes starting
            // together neither race on creating the bookkeeping table nor apply a migration twice.
            // Tried rather than waited for: a statement waiting holds a snapshot, which an online
            // index build would wait for in turn.
            while try await !connection.checkedQuery("SELECT pg_try_advisory_lock(\(Schema.migrationLockKey))", logger: logger)
                .decode(Bool.self).collect().allSatisfy({ $0 })
            {
                try await clock.sleep(for: .milliseconds(100))
            }
            do {
                let pending = try await migrate(connection)
                try await connection.checkedQuery("SELECT pg_advisory_unlock(\(Schema.migrationLockKey))", logger: logger)
                return pending
            } catch {
                // A connection that went away took its lock with it.
                _ = try? await connection.checkedQuery("SELECT pg_advisory_unlock(\(Schema.migrationLockKey))", logger: logger)
                throw error
            }
        }
    }

    /// Each pending migration in its own transaction, an online one in none.
    private func migrate(_ connection: PostgresConnection) async throws -> [Int] {
        try await connection.checkedQuery(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
            logger: logger
        )
        let applied = try await Self.appliedMigrations(connection, logger: logger)
        let pending = try MigrationPlan.pending(known: Schema.migrations.map(\.version), applied: Set(applied))
        for migration in Schema.migrations where pending.contains(migration.version) {
            if !migration.online { try await connection.checkedQuery("BEGIN", logger: logger) }
            do {
                for statement in migration.statements(for: .postgresql) {
                    try await connection.checkedQuery(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.checkedQuery(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (\(migration.version), \(migration.name), \(clock.nowMillis()))",
                    logger: logger
                )
                if !migration.online { try await connection.checkedQuery("COMMIT", logger: logger) }
            } catch {
                if !migration.online { _ = try? await connection.checkedQuery("ROLLBACK", logger: logger) }
                throw error
            }
        }
        return pending
    }

    public func appliedMigrations() async throws -> [Int] {
        try await client.withConnection { connection in
            let exists = try await connection.checkedQuery("SELECT to_regclass('schema_migrations') IS NOT NULL", logger: logger)
            for try await present in exists.decode(Bool.self) where present {
                return try await Self.appliedMigrations(connection, logger: logger)
            }
            return []
        }
    }

    private static func appliedMigrations(_ connection: PostgresConnection, logger: Logger) async throws -> [Int] {
        let rows = try await connection.checkedQuery("SELECT version FROM schema_migrations ORDER BY version", logger: logger)
        return try await rows.decode(Int.self).collect()
    }

    static func principal(_ connection: PostgresConnection, userID: Int64, name: String, logger: Logger) async throws -> Principal {
        let rights = try await connection.checkedQuery("SELECT right_name FROM user_rights WHERE user_id = \(userID)", logger: logger)
            .decode(String.self).collect().map { try readable(Right(rawValue: $0), in: "user_rights") }
        let shops = try await connection.checkedQuery("SELECT shop_id FROM user_shops WHERE user_id = \(userID)", logger: logger)
            .decode(Int64.self).collect().map(Int.init)
        return Principal(userID: userID, name: name, rights: Set(rights), shops: Set(shops))
    }

    /// On hand, blocked and reserved of the products that exist, `keys` given once each; with
    /// `lock`, their stock rows are locked in `ProductKey` order (byte order of the id, hence
    /// `COLLATE "C"`), the one order every writer uses, so that writers never deadlock.
    static func productStock(
        _ keys: [ProductKey],
        at now: Int64,
        lock: Bool,
        _ connection: PostgresConnection,
        logger: Logger
    ) async throws -> [ProductKey: ProductStock] {
        guard !keys.isEmpty else { return [:] }
        let shops = keys.map { Int64($0.shop) }
        let products = keys.map(\.product)
        let rows = try await connection.checkedQuery(
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
        let reserved = try await connection.checkedQuery(
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
        let known = try await connection.checkedQuery("SELECT id FROM shops WHERE id = ANY(\(wanted)::bigint[])", logger: logger)
            .decode(Int64.self).collect()
        if let missing = shops.subtracting(known.map(Int.init)).min() {
            throw StorageError.unknownShop(missing)
        }
    }

    /// Records movements under consecutive sequence numbers of their origin and applies them to
    /// on hand; the counter row's lock keeps an origin's sequence in commit order.
    @discardableResult
    static func appendMovements(
        _ changes: [(key: ProductKey, qty: Int64, reason: MovementReason, reference: String?)],
        origin: ServerKey,
        at now: Int64,
        _ connection: PostgresConnection,
        logger: Logger
    ) async throws -> [Int64] {
        guard !changes.isEmpty else { return [] }
        let count = Int64(changes.count)
        let last =
            try await connection.checkedQuery(
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
        try await connection.checkedQuery(
            """
            INSERT INTO movements (origin, origin_seq, shop_id, product_id, qty, reason, reference, created_at)
            SELECT \(origin.value), origin_seq, shop_id, product_id, qty, reason, NULLIF(reference, ''), \(now)
            FROM unnest(\(sequences)::bigint[], \(shops)::bigint[], \(products)::text[], \(quantities)::bigint[],
                        \(reasons)::text[], \(references)::text[])
                AS input (origin_seq, shop_id, product_id, qty, reason, reference)
            """,
            logger: logger
        )
        try await connection.checkedQuery(
            """
            UPDATE stock SET on_hand = stock.on_hand + input.qty, modified_at = \(now)
            FROM (SELECT shop_id, product_id, SUM(qty) AS qty
                  FROM unnest(\(shops)::bigint[], \(products)::text[], \(quantities)::bigint[]) AS changes (shop_id, product_id, qty)
                  GROUP BY shop_id, product_id) AS input
            WHERE stock.shop_id = input.shop_id AND stock.product_id = input.product_id
            """,
            logger: logger
        )
        return sequences
    }

    func transaction<Result>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresConnection) async throws -> sending Result
    ) async throws -> sending Result {
        try await client.withTransaction(logger: logger, isolation: isolation, body)
    }

    private static func connectionTLS(_ mode: PostgresLocation.TLSMode) throws -> PostgresConnection.Configuration.TLS {
        switch mode {
        case .disable: .disable
        case .prefer: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case .require: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
    }

    /// The server's own message where there is one, else the network's.
    static func reason(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return "\(error)" }
        if let message = error.serverInfo?[.message] { return message }
        if let underlying = error.underlying { return "\(underlying)" }
        return "\(error.code)"
    }

    @discardableResult
    static func mapping<Result>(
        _ code: PostgresError.Code,
        to storageError: StorageError,
        _ body: () async throws -> Result
    ) async throws -> Result {
        do {
            return try await body()
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == code.raw {
            throw storageError
        }
    }
}
