import BackroomCore

extension SQLiteStorage: ServerRegistryStore {
    // MARK: server registry

    public func registerServer(_ server: ServerRegistration, tokenFingerprint: String?) async throws {
        try await database.write { connection in
            _ = try Self.mappingConstraintViolation(to: .alreadyExists("server '\(server.key)'")) {
                try connection.execute(
                    "INSERT INTO servers (key, name, type, url, token_fingerprint) VALUES (?, ?, ?, ?, ?)",
                    [
                        .text(server.key.value), .text(server.name), .text(server.type.rawValue),
                        server.url.map(SQLiteValue.text) ?? .null, tokenFingerprint.map(SQLiteValue.text) ?? .null,
                    ]
                )
            }
            for shop in server.shops {
                try connection.execute(
                    "INSERT INTO server_shops (server_key, shop_id) VALUES (?, ?)",
                    [.text(server.key.value), .integer(Int64(shop))]
                )
            }
        }
    }

    public func updateServer(_ server: ServerRegistration) async throws -> Bool {
        try await database.write { connection in
            let changed = try connection.execute(
                "UPDATE servers SET name = ?, url = ? WHERE key = ?",
                [.text(server.name), server.url.map(SQLiteValue.text) ?? .null, .text(server.key.value)]
            )
            guard changed > 0 else { return false }
            try connection.execute("DELETE FROM server_shops WHERE server_key = ?", [.text(server.key.value)])
            for shop in server.shops {
                try connection.execute(
                    "INSERT INTO server_shops (server_key, shop_id) VALUES (?, ?)",
                    [.text(server.key.value), .integer(Int64(shop))]
                )
            }
            return true
        }
    }

    public func removeServer(key: ServerKey) async throws -> Bool {
        try await database.write { connection in
            try connection.execute("DELETE FROM server_shops WHERE server_key = ?", [.text(key.value)])
            try connection.execute(
                "DELETE FROM sync_state WHERE name IN (SELECT value FROM json_each(?))",
                [.json(.array(SyncStateKey.kept(ofStore: key).map { .string($0.name) }))]
            )
            return try connection.execute("DELETE FROM servers WHERE key = ?", [.text(key.value)]) > 0
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
        let reason = StoredServer.clippedReason(reason)
        try await database.write { connection in
            let changed = try connection.execute(
                """
                INSERT INTO server_status_history (server_key, at, status, reason)
                SELECT key, ?, ?, ? FROM servers WHERE key = ? AND status <> ?
                """,
                [.integer(now), .text(status.rawValue), reason.map(SQLiteValue.text) ?? .null, .text(key.value), .text(status.rawValue)]
            )
            if changed > 0 {
                try connection.execute(
                    "DELETE FROM server_status_history WHERE server_key = ? AND at < ?",
                    [.text(key.value), .integer(now - StatusChange.retentionMillis)]
                )
            }
            try connection.execute(
                "UPDATE servers SET status = ?, updated_at = ?, offline_log = COALESCE(?, offline_log) WHERE key = ?",
                [.text(status.rawValue), .integer(now), reason.map(SQLiteValue.text) ?? .null, .text(key.value)]
            )
        }
    }

    public func lastStatusChanges() async throws -> [ServerKey: Int64] {
        try await database.read { connection in
            var changes: [ServerKey: Int64] = [:]
            for row in try connection.query("SELECT server_key, MAX(at) FROM server_status_history GROUP BY server_key", []) {
                changes[try readable(row.text(0).flatMap { try? ServerKey($0) }, in: "server_status_history")] = try readable(
                    row.integer(1),
                    in: "server_status_history"
                )
            }
            return changes
        }
    }

    public func statusHistory(key: ServerKey, limit: Int) async throws -> [StatusChange] {
        try await database.read { connection in
            try connection.query(
                "SELECT at, status, reason FROM server_status_history WHERE server_key = ? ORDER BY id DESC LIMIT ?",
                [.text(key.value), .integer(Int64(limit))]
            ).map { row in
                StatusChange(
                    at: try readable(row.integer(0), in: "server_status_history"),
                    status: try readable(row.text(1).flatMap(ServerStatus.init(rawValue:)), in: "server_status_history"),
                    reason: row.text(2)
                )
            }
        }
    }

    public func rotateServerToken(key: ServerKey, fingerprint: String, sealed: String?) async throws -> Bool {
        try await database.write { connection in
            let sql =
                sealed == nil
                ? "UPDATE servers SET token_fingerprint = ?, next_token_fingerprint = NULL, next_token_sealed = ? WHERE key = ?"
                : "UPDATE servers SET next_token_fingerprint = ?, next_token_sealed = ? WHERE key = ?"
            return try connection.execute(sql, [.text(fingerprint), sealed.map(SQLiteValue.text) ?? .null, .text(key.value)]) > 0
        }
    }

    public func serverPromotingNextToken(fingerprint: String) async throws -> StoredServer? {
        try await database.write { connection in
            let promoted = try connection.execute(
                """
                UPDATE servers SET token_fingerprint = next_token_fingerprint, next_token_fingerprint = NULL, next_token_sealed = NULL
                WHERE next_token_fingerprint = ?
                """,
                [.text(fingerprint)]
            )
            return promoted > 0 ? try Self.servers(connection, .tokenFingerprint(fingerprint)).first : nil
        }
    }

    public func recordServerSoftware(_ key: ServerKey, _ software: PeerSoftware) async throws {
        try await database.write { connection in
            try connection.execute(
                "UPDATE servers SET software_version = ?, sync_protocol = ? WHERE key = ?",
                [.text(software.version), .integer(Int64(software.syncProtocol)), .text(key.value)]
            )
        }
    }

    public func nextServerTokens() async throws -> [ServerKey: String] {
        try await database.read { connection in
            Dictionary(
                uniqueKeysWithValues: try connection.query("SELECT key, next_token_sealed FROM servers WHERE next_token_sealed IS NOT NULL").map {
                    row in
                    (try readable(row.text(0).flatMap { try? ServerKey($0) }, in: "servers"), try readable(row.text(1), in: "servers"))
                }
            )
        }
    }

    public func recordPing(_ key: ServerKey, at now: Int64) async throws {
        try await database.write { connection in
            try connection.execute("UPDATE servers SET last_ping = ? WHERE key = ?", [.integer(now), .text(key.value)])
        }
    }

    /// The servers `filter` picks, all of them when it is nil. A statement of its own per filter,
    /// so that finding a store by its token, at each of its requests, uses the index.
    private static func servers(_ connection: SQLiteConnection, _ filter: ServerFilter?) throws -> [StoredServer] {
        let (condition, bindings): (String, [SQLiteValue]) =
            switch filter {
            case .key(let key): ("WHERE key = ?", [.text(key.value)])
            case .tokenFingerprint(let fingerprint): ("WHERE token_fingerprint = ?", [.text(fingerprint)])
            case nil: ("", [])
            }
        let rows = try connection.query(
            """
            SELECT key, name, type, url, status, updated_at, last_ping, offline_log, token_fingerprint, software_version, sync_protocol
            FROM servers \(condition) ORDER BY key
            """,
            bindings
        )
        let shopRows = try connection.query(
            "SELECT server_key, shop_id FROM server_shops WHERE server_key IN (SELECT value FROM json_each(?)) ORDER BY shop_id",
            [.json(.array(try rows.map { .string(try readable($0.text(0), in: "servers")) }))]
        )
        let shops = Dictionary(
            grouping: try shopRows.map { row in (try readable(row.text(0), in: "server_shops"), Int(try readable(row.integer(1), in: "server_shops")))
            },
            by: \.0
        )
        return try rows.map { row in
            let keyText = try readable(row.text(0), in: "servers")
            let serverKey = try readable(try? ServerKey(keyText), in: "servers")
            let name = try readable(row.text(1), in: "servers")
            let type = try readable(row.text(2).flatMap(ServerType.init(rawValue:)), in: "servers")
            let status = try readable(row.text(4).flatMap(ServerStatus.init(rawValue:)), in: "servers")
            return StoredServer(
                registration: ServerRegistration(
                    key: serverKey,
                    name: name,
                    type: type,
                    url: row.text(3),
                    shops: (shops[keyText] ?? []).map(\.1)
                ),
                status: status,
                updatedAt: row.integer(5),
                lastPing: row.integer(6),
                offlineLog: row.text(7),
                tokenFingerprint: row.text(8),
                software: row.text(9).flatMap { version in row.integer(10).map { PeerSoftware(version: version, syncProtocol: Int($0)) } }
            )
        }
    }
}
