import BackroomCore
import Logging
import PostgresNIO

extension PostgresStorage: EngineStore {
    private typealias ConnectionRow = (Int64, String, Int64, String, String, Int64, Int64, String, Int64?, Int64?, String?)

    public func syncConnections(includeDeleted: Bool) async throws -> [SyncConnection] {
        try await Self.connections(
            client.query(
                "SELECT \(unescaped: SyncConnectionRecord.columns) FROM sync_connections WHERE deleted = 0 OR \(includeDeleted) ORDER BY id",
                logger: logger
            )
        )
    }

    public func syncConnection(id: Int64) async throws -> SyncConnection? {
        try await Self.connections(
            client.query("SELECT \(unescaped: SyncConnectionRecord.columns) FROM sync_connections WHERE id = \(id)", logger: logger)
        ).first
    }

    public func addSyncConnection(_ new: NewSyncConnection) async throws -> SyncConnection {
        let added = try await Self.mapping(.uniqueViolation, to: .alreadyExists("\(new.kind.name) connection '\(new.name)'")) {
            try await Self.connections(
                client.query(
                    """
                    INSERT INTO sync_connections (connector, connector_id, name, uuid, config, created_at)
                    VALUES (\(new.kind.name), \(new.connectorId), \(new.name), \(new.uuid), \(SyncConnectionRecord.config(new.config)), \(clock.nowMillis()))
                    RETURNING \(unescaped: SyncConnectionRecord.columns)
                    """,
                    logger: logger
                )
            )
        }
        guard let added = added.first else { throw StorageError.unreachable("no row returned for new connection") }
        return added
    }

    public func setSyncConnection(id: Int64, active: Bool) async throws -> SyncConnection? {
        try await Self.connections(
            client.query(
                """
                UPDATE sync_connections SET active = \(active ? 1 : 0) WHERE id = \(id) AND deleted = 0
                RETURNING \(unescaped: SyncConnectionRecord.columns)
                """,
                logger: logger
            )
        ).first
    }

    public func updateSyncConnection(id: Int64, name: String, config: [String: String]) async throws -> SyncConnection? {
        try await Self.mapping(.uniqueViolation, to: .alreadyExists("connection '\(name)'")) {
            try await Self.connections(
                client.query(
                    """
                    UPDATE sync_connections SET name = \(name), config = \(SyncConnectionRecord.config(config)) WHERE id = \(id) AND deleted = 0
                    RETURNING \(unescaped: SyncConnectionRecord.columns)
                    """,
                    logger: logger
                )
            ).first
        }
    }

    public func setSyncPriorities(_ order: [Int64]) async throws {
        try await client.query(
            """
            UPDATE sync_connections c SET priority = listed.place
            FROM (SELECT c2.id, p.place FROM sync_connections c2
                  LEFT JOIN unnest(\(order)::bigint[]) WITH ORDINALITY AS p (id, place) ON p.id = c2.id) AS listed
            WHERE c.id = listed.id AND c.priority IS DISTINCT FROM listed.place
            """,
            logger: logger
        )
    }

    public func connectorEntities(includeDeleted: Bool) async throws -> [ConnectorEntity] {
        try await Self.entities(
            client.query(
                "SELECT \(unescaped: ConnectorEntityRecord.columns) FROM sync_connectors WHERE deleted = 0 OR \(includeDeleted) ORDER BY id",
                logger: logger
            )
        )
    }

    public func connectorEntity(id: Int64) async throws -> ConnectorEntity? {
        try await Self.entities(
            client.query(
                "SELECT \(unescaped: ConnectorEntityRecord.columns) FROM sync_connectors WHERE id = \(id)",
                logger: logger
            )
        ).first
    }

    public func addConnectorEntity(name: String, url: String) async throws -> ConnectorEntity {
        // Numbered one at a time, so that two processes adding at once cannot take the same id.
        try await transaction { connection in
            try await connection.checkedQuery("LOCK TABLE sync_connectors IN SHARE ROW EXCLUSIVE MODE", logger: logger)
            return try readable(
                try await Self.entities(
                    connection.checkedQuery(
                        """
                        INSERT INTO sync_connectors (id, name, url, created_at) VALUES (\(unescaped: ConnectorEntityRecord.nextId), \(name), \(url), \(clock.nowMillis()))
                        RETURNING \(unescaped: ConnectorEntityRecord.columns)
                        """,
                        logger: logger
                    )
                ).first,
                in: "sync_connectors"
            )
        }
    }

    public func updateConnectorEntity(id: Int64, name: String, url: String) async throws -> ConnectorEntity? {
        try await Self.entities(
            client.query(
                """
                UPDATE sync_connectors SET name = \(name), url = \(url) WHERE id = \(id) AND deleted = 0
                RETURNING \(unescaped: ConnectorEntityRecord.columns)
                """,
                logger: logger
            )
        ).first
    }

    public func removeConnectorEntity(id: Int64) async throws -> Bool {
        try await !client.query("UPDATE sync_connectors SET deleted = 1 WHERE id = \(id) RETURNING id", logger: logger)
            .decode(Int64.self).collect().isEmpty
    }

    public func removeSyncConnection(id: Int64) async throws -> Bool {
        // Its row stays, marked, for the history that names it; what it kept goes.
        try await !client.query(
            """
            WITH removed AS (UPDATE sync_connections SET deleted = 1, active = 0 WHERE id = \(id) RETURNING id),
            imports AS (DELETE FROM erp_imports WHERE connection_id IN (SELECT id FROM removed)),
            kept AS (DELETE FROM sync_state WHERE name = ANY(\(SyncStateKey.kept(ofConnection: id).map(\.name))::text[]) AND EXISTS (SELECT 1 FROM removed))
            SELECT id FROM removed
            """,
            logger: logger
        ).decode(Int64.self).collect().isEmpty
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
            let claimed = try await connection.checkedQuery(
                """
                INSERT INTO erp_imports (connection_id, file_key, imported_at) VALUES (\(id), \(key), \(now))
                ON CONFLICT DO NOTHING RETURNING file_key
                """,
                logger: logger
            ).decode(String.self).collect()
            guard !claimed.isEmpty else { return false }
            try await Self.requireShops(Set(file.shops.keys), connection, logger: logger)
            try await connection.checkedQuery(
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
            try await connection.checkedQuery(
                "INSERT INTO products (id) SELECT unnest(\(products)::text[]) ON CONFLICT (id) DO NOTHING",
                logger: logger
            )
            try await connection.checkedQuery(
                """
                INSERT INTO stock (shop_id, product_id, on_hand, blocked, modified_at)
                SELECT shop_id, product_id, 0, 0, \(now) FROM unnest(\(shops)::bigint[], \(products)::text[]) AS input (shop_id, product_id)
                ON CONFLICT DO NOTHING
                """,
                logger: logger
            )
            // Locked in the order reservation batches lock them, so that a count corrects the on
            // hand it read and nothing changes it before the commit.
            let locked = try await connection.checkedQuery(
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
                file.movements(onHand: onHand).map { ($0.key, $0.qty, $0.reason, key) },
                origin: origin,
                at: now,
                connection,
                logger: logger
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

    private static func connections(_ rows: some AsyncSequence<PostgresRow, any Error>) async throws -> [SyncConnection] {
        try await rows.decode(ConnectionRow.self).collect().map { row in
            try SyncConnectionRecord.connection(
                id: row.0,
                connector: row.1,
                connectorId: row.2,
                name: row.3,
                uuid: row.4,
                active: row.5,
                deleted: row.6,
                config: row.7,
                priority: row.8,
                lastSuccessAt: row.9,
                lastError: row.10
            )
        }
    }

    private static func entities(_ rows: some AsyncSequence<PostgresRow, any Error>) async throws -> [ConnectorEntity] {
        try await rows.decode((Int64, String, String, Int64).self).collect().map {
            ConnectorEntity(id: $0.0, name: $0.1, url: $0.2, deleted: $0.3 != 0)
        }
    }
}
