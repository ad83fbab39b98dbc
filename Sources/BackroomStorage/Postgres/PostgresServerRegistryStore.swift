import BackroomCore
import Logging
import NIOSSL
import PostgresNIO

extension PostgresStorage: ServerRegistryStore {
    // MARK: server registry

    public func registerServer(_ server: ServerRegistration, tokenFingerprint: String?) async throws {
        try await transaction { connection in
            try await Self.mapping(.uniqueViolation, to: .alreadyExists("server '\(server.key)'")) {
                try await connection.checkedQuery(
                    """
                    INSERT INTO servers (key, name, type, url, token_fingerprint)
                    VALUES (\(server.key.value), \(server.name), \(server.type.rawValue), \(server.url), \(tokenFingerprint))
                    """,
                    logger: logger
                )
            }
            let shops = server.shops.map(Int64.init)
            try await connection.checkedQuery(
                "INSERT INTO server_shops (server_key, shop_id) SELECT \(server.key.value), unnest(\(shops)::bigint[])",
                logger: logger
            )
        }
    }

    public func updateServer(_ server: ServerRegistration) async throws -> Bool {
        try await transaction { connection in
            let changed = try await connection.checkedQuery(
                "UPDATE servers SET name = \(server.name), url = \(server.url) WHERE key = \(server.key.value) RETURNING key",
                logger: logger
            ).decode(String.self).collect()
            guard !changed.isEmpty else { return false }
            try await connection.checkedQuery("DELETE FROM server_shops WHERE server_key = \(server.key.value)", logger: logger)
            try await connection.checkedQuery(
                "INSERT INTO server_shops (server_key, shop_id) SELECT \(server.key.value), unnest(\(server.shops.map(Int64.init))::bigint[])",
                logger: logger
            )
            return true
        }
    }

    public func removeServer(key: ServerKey) async throws -> Bool {
        // Its shops and status history go with it (ON DELETE CASCADE), and what central kept of it.
        try await !client.query(
            """
            WITH kept AS (DELETE FROM sync_state WHERE name = ANY(\(SyncStateKey.kept(ofStore: key).map(\.name))::text[]))
            DELETE FROM servers WHERE key = \(key.value) RETURNING key
            """,
            logger: logger
        ).decode(String.self).collect().isEmpty
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
        let reason = StoredServer.clippedReason(reason)
        // One statement: its parts all see the status as it was before the update.
        try await client.query(
            """
            WITH changed AS (
                INSERT INTO server_status_history (server_key, at, status, reason)
                SELECT key, \(now), \(status.rawValue), \(reason) FROM servers WHERE key = \(key.value) AND status <> \(status.rawValue)
                RETURNING server_key
            ), forgotten AS (
                DELETE FROM server_status_history
                WHERE server_key IN (SELECT server_key FROM changed) AND at < \(now - StatusChange.retentionMillis)
            )
            UPDATE servers SET status = \(status.rawValue), updated_at = \(now), offline_log = COALESCE(\(reason), offline_log)
            WHERE key = \(key.value)
            """,
            logger: logger
        )
    }

    public func lastStatusChanges() async throws -> [ServerKey: Int64] {
        var changes: [ServerKey: Int64] = [:]
        let rows = try await client.query("SELECT server_key, MAX(at) FROM server_status_history GROUP BY server_key", logger: logger)
        for try await (key, at) in rows.decode((String, Int64).self) {
            changes[try readable(try? ServerKey(key), in: "server_status_history")] = at
        }
        return changes
    }

    public func statusHistory(key: ServerKey, limit: Int) async throws -> [StatusChange] {
        try await client.query(
            "SELECT at, status, reason FROM server_status_history WHERE server_key = \(key.value) ORDER BY id DESC LIMIT \(Int64(limit))",
            logger: logger
        ).decode((Int64, String, String?).self).collect().map { at, status, reason in
            StatusChange(at: at, status: try readable(ServerStatus(rawValue: status), in: "server_status_history"), reason: reason)
        }
    }

    public func rotateServerToken(key: ServerKey, fingerprint: String, sealed: String?) async throws -> Bool {
        let rows =
            if sealed == nil {
                try await client.query(
                    """
                    UPDATE servers SET token_fingerprint = \(fingerprint), next_token_fingerprint = NULL, next_token_sealed = NULL
                    WHERE key = \(key.value) RETURNING key
                    """,
                    logger: logger
                )
            } else {
                try await client.query(
                    "UPDATE servers SET next_token_fingerprint = \(fingerprint), next_token_sealed = \(sealed) WHERE key = \(key.value) RETURNING key",
                    logger: logger
                )
            }
        return try await !rows.decode(String.self).collect().isEmpty
    }

    public func serverPromotingNextToken(fingerprint: String) async throws -> StoredServer? {
        let promoted = try await client.query(
            """
            UPDATE servers SET token_fingerprint = next_token_fingerprint, next_token_fingerprint = NULL, next_token_sealed = NULL
            WHERE next_token_fingerprint = \(fingerprint) RETURNING key
            """,
            logger: logger
        ).decode(String.self).collect()
        return promoted.isEmpty ? nil : try await server(tokenFingerprint: fingerprint)
    }

    public func recordServerSoftware(_ key: ServerKey, _ software: PeerSoftware) async throws {
        try await client.query(
            "UPDATE servers SET software_version = \(software.version), sync_protocol = \(Int64(software.syncProtocol)) WHERE key = \(key.value)",
            logger: logger
        )
    }

    public func nextServerTokens() async throws -> [ServerKey: String] {
        let rows = try await client.query("SELECT key, next_token_sealed FROM servers WHERE next_token_sealed IS NOT NULL", logger: logger)
            .decode((String, String).self).collect()
        return Dictionary(uniqueKeysWithValues: try rows.map { (try readable(try? ServerKey($0.0), in: "servers"), $0.1) })
    }

    public func recordPing(_ key: ServerKey, at now: Int64) async throws {
        try await client.query("UPDATE servers SET last_ping = \(now) WHERE key = \(key.value)", logger: logger)
    }

    /// The servers `filter` picks, all of them when it is nil, in one statement.
    private static func servers(_ client: CheckedPostgresClient, _ filter: ServerFilter?, logger: Logger) async throws -> [StoredServer] {
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
                ARRAY(SELECT shop_id FROM server_shops WHERE server_key = s.key ORDER BY shop_id), s.software_version, s.sync_protocol
            FROM servers s
            WHERE (\(key)::text IS NULL OR s.key = \(key)) AND (\(fingerprint)::text IS NULL OR s.token_fingerprint = \(fingerprint))
            ORDER BY s.key
            """,
            logger: logger
        ).decode((String, String, String, String?, String, Int64?, Int64?, String?, String?, [Int64], String?, Int64?).self).collect()
        return try rows.map { keyText, name, typeName, url, statusName, updatedAt, lastPing, offlineLog, fingerprint, shops, version, syncProtocol in
            let serverKey = try readable(try? ServerKey(keyText), in: "servers")
            let type = try readable(ServerType(rawValue: typeName), in: "servers")
            let status = try readable(ServerStatus(rawValue: statusName), in: "servers")
            return StoredServer(
                registration: ServerRegistration(key: serverKey, name: name, type: type, url: url, shops: shops.map(Int.init)),
                status: status,
                updatedAt: updatedAt,
                lastPing: lastPing,
                offlineLog: offlineLog,
                tokenFingerprint: fingerprint,
                software: version.flatMap { version in syncProtocol.map { PeerSoftware(version: version, syncProtocol: Int($0)) } }
            )
        }
    }
}
