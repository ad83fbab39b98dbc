import BackroomCore

extension SQLiteStorage: EngineStore {
    public func syncConnections(includeDeleted: Bool) async throws -> [SyncConnection] {
        try await database.read { connection in
            try Self.connections(
                connection,
                "SELECT \(SyncConnectionRecord.columns) FROM sync_connections WHERE deleted = 0 OR ? ORDER BY id",
                [.integer(includeDeleted ? 1 : 0)]
            )
        }
    }

    public func syncConnection(id: Int64) async throws -> SyncConnection? {
        try await database.read { connection in try Self.connection(connection, id: id) }
    }

    public func addSyncConnection(_ new: NewSyncConnection) async throws -> SyncConnection {
        try await database.write { connection in
            let rows = try Self.mappingConstraintViolation(to: .alreadyExists("\(new.kind.name) connection '\(new.name)'")) {
                try connection.query(
                    "INSERT INTO sync_connections (connector, connector_id, name, uuid, config, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                    [
                        .text(new.kind.name), .integer(new.connectorId), .text(new.name), .text(new.uuid),
                        .text(SyncConnectionRecord.config(new.config)), .integer(self.clock.nowMillis()),
                    ]
                )
            }
            guard let id = rows.first?.integer(0), let added = try Self.connection(connection, id: id) else {
                throw SQLiteError(code: 0, message: "no id returned for new connection")
            }
            return added
        }
    }

    public func setSyncConnection(id: Int64, active: Bool) async throws -> SyncConnection? {
        try await database.write { connection in
            try connection.execute("UPDATE sync_connections SET active = ? WHERE id = ? AND deleted = 0", [.integer(active ? 1 : 0), .integer(id)])
            return try Self.connection(connection, id: id).flatMap { $0.deleted ? nil : $0 }
        }
    }

    public func updateSyncConnection(id: Int64, name: String, config: [String: String]) async throws -> SyncConnection? {
        try await database.write { connection in
            _ = try Self.mappingConstraintViolation(to: .alreadyExists("connection '\(name)'")) {
                try connection.execute(
                    "UPDATE sync_connections SET name = ?, config = ? WHERE id = ? AND deleted = 0",
                    [.text(name), .text(SyncConnectionRecord.config(config)), .integer(id)]
                )
            }
            return try Self.connection(connection, id: id).flatMap { $0.deleted ? nil : $0 }
        }
    }

    public func setSyncPriorities(_ order: [Int64]) async throws {
        try await database.write { connection in
            try connection.execute("UPDATE sync_connections SET priority = NULL WHERE priority IS NOT NULL")
            for (place, id) in order.enumerated() {
                try connection.execute("UPDATE sync_connections SET priority = ? WHERE id = ?", [.integer(Int64(place + 1)), .integer(id)])
            }
        }
    }

    public func connectorEntities(includeDeleted: Bool) async throws -> [ConnectorEntity] {
        try await database.read { connection in
            try Self.entities(
                connection,
                "SELECT \(ConnectorEntityRecord.columns) FROM sync_connectors WHERE deleted = 0 OR ? ORDER BY id",
                [.integer(includeDeleted ? 1 : 0)]
            )
        }
    }

    public func connectorEntity(id: Int64) async throws -> ConnectorEntity? {
        try await database.read { connection in
            try Self.entities(connection, "SELECT \(ConnectorEntityRecord.columns) FROM sync_connectors WHERE id = ?", [.integer(id)]).first
        }
    }

    public func addConnectorEntity(name: String, url: String) async throws -> ConnectorEntity {
        try await database.write { connection in
            try readable(
                try Self.entities(
                    connection,
                    "INSERT INTO sync_connectors (id, name, url, created_at) VALUES (\(ConnectorEntityRecord.nextId), ?, ?, ?) RETURNING \(ConnectorEntityRecord.columns)",
                    [.text(name), .text(url), .integer(self.clock.nowMillis())]
                ).first,
                in: "sync_connectors"
            )
        }
    }

    public func updateConnectorEntity(id: Int64, name: String, url: String) async throws -> ConnectorEntity? {
        try await database.write { connection in
            try Self.entities(
                connection,
                "UPDATE sync_connectors SET name = ?, url = ? WHERE id = ? AND deleted = 0 RETURNING \(ConnectorEntityRecord.columns)",
                [.text(name), .text(url), .integer(id)]
            ).first
        }
    }

    public func removeConnectorEntity(id: Int64) async throws -> Bool {
        try await database.write { connection in
            try !connection.query("UPDATE sync_connectors SET deleted = 1 WHERE id = ? RETURNING id", [.integer(id)]).isEmpty
        }
    }

    public func removeSyncConnection(id: Int64) async throws -> Bool {
        try await database.write { connection in
            // Its row stays, marked, for the history that names it; what it kept goes.
            guard try !connection.query("UPDATE sync_connections SET deleted = 1, active = 0 WHERE id = ? RETURNING id", [.integer(id)]).isEmpty
            else { return false }
            try connection.execute("DELETE FROM erp_imports WHERE connection_id = ?", [.integer(id)])
            try connection.execute(
                "DELETE FROM sync_state WHERE name IN (SELECT value FROM json_each(?))",
                [.json(.array(SyncStateKey.kept(ofConnection: id).map { .string($0.name) }))]
            )
            return true
        }
    }

    public func recordVisit(connection id: Int64, at now: Int64, error: String?) async throws {
        try await database.write { connection in
            if let error {
                try connection.execute(
                    "UPDATE sync_connections SET last_error = ? WHERE id = ?",
                    [.text(SyncConnectionRecord.errorText(error) ?? ""), .integer(id)]
                )
            } else {
                try connection.execute(
                    "UPDATE sync_connections SET last_success_at = ?, last_error = NULL WHERE id = ?",
                    [.integer(now), .integer(id)]
                )
            }
        }
    }

    public func importErpFile(_ file: ErpImport, connection id: Int64, key: String, origin: ServerKey, at now: Int64) async throws -> Bool {
        try await database.write { connection in
            let claimed = try connection.query(
                "INSERT INTO erp_imports (connection_id, file_key, imported_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING RETURNING file_key",
                [.integer(id), .text(key), .integer(now)]
            )
            guard !claimed.isEmpty else { return false }
            for (shop, _) in file.shops.sorted(by: { $0.key < $1.key }) where try !Self.shopExists(connection, shop) {
                throw StorageError.unknownShop(shop)
            }
            for product in file.products {
                try connection.execute(
                    "INSERT INTO products (id, name) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name",
                    [.text(product.id), .text(product.name)]
                )
            }
            for line in file.counts + file.receipts {
                try connection.execute("INSERT INTO products (id) VALUES (?) ON CONFLICT (id) DO NOTHING", [.text(line.product)])
                try connection.execute(
                    "INSERT INTO stock (shop_id, product_id, on_hand, blocked, modified_at) VALUES (?, ?, 0, 0, ?) ON CONFLICT DO NOTHING",
                    [.integer(Int64(line.shop)), .text(line.product), .integer(now)]
                )
            }
            for change in file.movements(onHand: try Self.onHand(connection, file.countedKeys)) {
                try Self.appendMovement(connection, change.key, qty: change.qty, reason: change.reason, reference: key, origin: origin, at: now)
            }
            return true
        }
    }

    public func holdLease(_ name: String, holder: String, until: Int64, now: Int64) async throws -> Bool {
        try await database.write { connection in
            try !connection.query(
                """
                INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)
                ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
                WHERE leases.holder = excluded.holder OR leases.expires_at < ?
                RETURNING holder
                """,
                [.text(name), .text(holder), .integer(until), .integer(now)]
            ).isEmpty
        }
    }

    public func releaseLease(_ name: String, holder: String) async throws {
        try await database.write { connection in
            try connection.execute("DELETE FROM leases WHERE name = ? AND holder = ?", [.text(name), .text(holder)])
        }
    }

    private static func connection(_ connection: SQLiteConnection, id: Int64) throws -> SyncConnection? {
        try connections(connection, "SELECT \(SyncConnectionRecord.columns) FROM sync_connections WHERE id = ?", [.integer(id)]).first
    }

    private static func connections(_ connection: SQLiteConnection, _ sql: String, _ parameters: [SQLiteValue]) throws -> [SyncConnection] {
        try connection.query(sql, parameters).map { row in
            let table = "sync_connections"
            return try SyncConnectionRecord.connection(
                id: try readable(row.integer(0), in: table),
                connector: try readable(row.text(1), in: table),
                connectorId: try readable(row.integer(2), in: table),
                name: try readable(row.text(3), in: table),
                uuid: try readable(row.text(4), in: table),
                active: try readable(row.integer(5), in: table),
                deleted: try readable(row.integer(6), in: table),
                config: try readable(row.text(7), in: table),
                priority: row.integer(8),
                lastSuccessAt: row.integer(9),
                lastError: row.text(10)
            )
        }
    }

    private static func entities(_ connection: SQLiteConnection, _ sql: String, _ parameters: [SQLiteValue]) throws -> [ConnectorEntity] {
        try connection.query(sql, parameters).map { row in
            let table = "sync_connectors"
            return ConnectorEntity(
                id: try readable(row.integer(0), in: table),
                name: try readable(row.text(1), in: table),
                url: try readable(row.text(2), in: table),
                deleted: try readable(row.integer(3), in: table) != 0
            )
        }
    }
}
