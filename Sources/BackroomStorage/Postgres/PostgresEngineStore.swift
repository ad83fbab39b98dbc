import BackroomCore
import Logging
import PostgresNIO

extension PostgresStorage: EngineStore {
    private typealias ConnectionRow = (Int64, String, String, String, Int64, Int64, String, Int64?, String?)

    public func syncConnections(includeDeleted: Bool) async throws -> [SyncConnection] {
        try await Self.connections(
            client.query("SELECT \(unescaped: SyncConnectionRecord.columns) FROM sync_connections WHERE deleted = 0 OR \(includeDeleted) ORDER BY id", logger: logger)
        )
    }

    public func syncConnection(id: Int64) async throws -> SyncConnection? {
        try await Self.connections(
            client.query("SELECT \(unescaped: SyncConnectionRecord.columns) FROM sync_connections WHERE id = \(id)", logger: logger)
        ).first
    }

    public func addSyncConnection(_ new: NewSyncConnection) async throws -> SyncConnection {
        let added = try await Self.mapping(.uniqueViolation, to: .alreadyExists("\(new.kind.name) connection '\(new.name)'")) {
            try await Self.connections(client.query(
                """
                INSERT INTO sync_connections (connector, name, uuid, config, created_at)
                VALUES (\(new.kind.name), \(new.name), \(new.uuid), \(SyncConnectionRecord.config(new.config)), \(clock.nowMillis()))
                RETURNING \(unescaped: SyncConnectionRecord.columns)
                """,
                logger: logger
            ))
        }
        guard let added = added.first else { throw StorageError.unreachable("no row returned for new connection") }
        return added
    }

    public func setSyncConnection(id: Int64, active: Bool) async throws -> SyncConnection? {
        try await Self.connections(client.query(
            """
            UPDATE sync_connections SET active = \(active ? 1 : 0) WHERE id = \(id) AND deleted = 0
            RETURNING \(unescaped: SyncConnectionRecord.columns)
            """,
            logger: logger
        )).first
    }

    public func removeSyncConnection(id: Int64) async throws -> Bool {
        try await !client.query("UPDATE sync_connections SET deleted = 1, active = 0 WHERE id = \(id) RETURNING id", logger: logger)
            .decode(Int64.self).collect().isEmpty
    }

    public func recordVisit(connection id: Int64, at now: Int64, error: String?) async throws {
        if let error = SyncConnectionRecord.errorText(error) {
            try await client.query("UPDATE sync_connections SET last_error = \(error) WHERE id = \(id)", logger: logger)
        } else {
            try await client.query("UPDATE sync_connections SET last_success_at = \(now), last_error = NULL WHERE id = \(id)", logger: logger)
        }
    }

    public func importErpFile(_ file: ErpImport, connection id: Int64, key: String, origin: ServerKey, at now: Int64) async throws -> Bool {
        try await transaction { connection in
            let claimed = try await connection.query(
                """
                INSERT INTO erp_imports (connection_id, file_key, imported_at) VALUES (\(id), \(key), \(now))
                ON CONFLICT DO NOTHING RETURNING file_key
                """,
                logger: logger
            ).decode(String.self).collect()
            guard !claimed.isEmpty else { return false }
            try await Self.requireShops(Set(file.shops.keys), connection, logger: logger)
            try await connection.query(
                """
                INSERT INTO products (id, name) SELECT DISTINCT ON (id) id, name
                FROM unnest(\(file.products.map(\.id))::text[], \(file.products.map(\.name))::text[]) WITH ORDINALITY AS p (id, name, n)
                ORDER BY id, n DESC
                ON CONFLICT (id) DO UPDATE SET name = excluded.name
                """,
                logger: logger
            )
            let lines = file.counts + file.receipts
            let shops = lines.map { Int64($0.shop) }
            let products = lines.map(\.product)
            try await connection.query(
                "INSERT INTO products (id) SELECT unnest(\(products)::text[]) ON CONFLICT (id) DO NOTHING", logger: logger
            )
            try await connection.query(
                """
                INSERT INTO stock (shop_id, product_id, on_hand, blocked, modified_at)
                SELECT shop_id, product_id, 0, 0, \(now) FROM unnest(\(shops)::bigint[], \(products)::text[]) AS input (shop_id, product_id)
                ON CONFLICT DO NOTHING
                """,
                logger: logger
            )
            // Locked in the order reservation batches lock them, so that a count corrects the on
            // hand it read and nothing changes it before the commit.
            let locked = try await connection.query(
                """
                SELECT s.shop_id, s.product_id, s.on_hand FROM stock s
                JOIN unnest(\(shops)::bigint[], \(products)::text[]) AS input (shop_id, product_id)
                  ON s.shop_id = input.shop_id AND s.product_id = input.product_id
                ORDER BY s.shop_id, s.product_id COLLATE "C" FOR UPDATE OF s
                """,
                logger: logger
            ).decode((Int64, String, Int64).self).collect()
            let onHand = Dictionary(locked.map { (ProductKey(shop: Int($0.0), product: $0.1), $0.2) }, uniquingKeysWith: { first, _ in first })
            try await Self.appendMovements(
                file.movements(onHand: onHand).map { ($0.key, $0.qty, $0.reason, key) }, origin: origin, at: now, connection, logger: logger
            )
            return true
        }
    }

    public func holdLease(_ name: String, holder: String, until: Int64, now: Int64) async throws -> Bool {
        try await !client.query(
            """
            INSERT INTO leases (name, holder, expires_at) VALUES (\(name), \(holder), \(until))
            ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
            WHERE leases.holder = excluded.holder OR leases.expires_at < \(now)
            RETURNING holder
            """,
            logger: logger
        ).decode(String.self).collect().isEmpty
    }

    public func releaseLease(_ name: String, holder: String) async throws {
        try await client.query("DELETE FROM leases WHERE name = \(name) AND holder = \(holder)", logger: logger)
    }

    private static func connections(_ rows: PostgresRowSequence) async throws -> [SyncConnection] {
        try await rows.decode(ConnectionRow.self).collect().map { row in
            try SyncConnectionRecord.connection(
                id: row.0, connector: row.1, name: row.2, uuid: row.3, active: row.4, deleted: row.5, config: row.6,
                lastSuccessAt: row.7, lastError: row.8
            )
        }
    }
}
