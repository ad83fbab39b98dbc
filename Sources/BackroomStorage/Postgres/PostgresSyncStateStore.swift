import BackroomCore
import Logging
import PostgresNIO

extension PostgresStorage: SyncStateStore {
    public func syncState(_ key: SyncStateKey) async throws -> String? {
        let name = key.name
        return try await client.query("SELECT value FROM sync_state WHERE name = \(name)", logger: logger).decode(String.self).collect().first
    }

    public func syncStates(_ keys: [SyncStateKey]) async throws -> [SyncStateKey: String] {
        let byName = Dictionary(keys.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let names = Array(byName.keys)
        var values: [SyncStateKey: String] = [:]
        let rows = try await client.query("SELECT name, value FROM sync_state WHERE name = ANY(\(names))", logger: logger)
        for try await (name, value) in rows.decode((String, String).self) {
            if let key = byName[name] { values[key] = value }
        }
        return values
    }

    public func writtenSyncState(_ key: SyncStateKey) async throws -> (value: String, writtenAt: Int64)? {
        try await client.query("SELECT value, updated_at FROM sync_state WHERE name = \(key.name)", logger: logger)
            .decode((String, Int64).self).collect().first.map { (value: $0.0, writtenAt: $0.1) }
    }

    public func setSyncState(_ key: SyncStateKey, _ value: String) async throws {
        try await setSyncStates([key: value])
    }

    public func setSyncStates(_ values: [SyncStateKey: String]) async throws {
        let names = values.keys.map(\.name)
        let texts = values.keys.map { values[$0] ?? "" }
        try await client.withConnection { connection in try await Self.setSyncStates(connection, names, texts, at: clock.nowMillis(), logger: logger)
        }
    }

    public func replaceSyncState(_ key: SyncStateKey, expected: String?, with value: String) async throws -> Bool {
        let name = key.name
        let now = clock.nowMillis()
        let rows =
            if let expected {
                try await client.query(
                    "UPDATE sync_state SET value = \(value), updated_at = \(now) WHERE name = \(name) AND value = \(expected) RETURNING name",
                    logger: logger
                )
            } else {
                try await client.query(
                    "INSERT INTO sync_state (name, value, updated_at) VALUES (\(name), \(value), \(now)) ON CONFLICT (name) DO NOTHING RETURNING name",
                    logger: logger
                )
            }
        return try await !rows.decode(String.self).collect().isEmpty
    }

    /// A row of `sync_state` read inside a transaction already open.
    static func syncState(_ connection: PostgresConnection, _ name: String, logger: Logger) async throws -> String? {
        try await connection.checkedQuery("SELECT value FROM sync_state WHERE name = \(name)", logger: logger).decode(String.self).collect().first
    }

    static func setSyncStates(_ connection: PostgresConnection, _ names: [String], _ values: [String], at now: Int64, logger: Logger) async throws {
        try await connection.checkedQuery(
            """
            INSERT INTO sync_state (name, value, updated_at) SELECT name, value, \(now) FROM unnest(\(names)::text[], \(values)::text[]) AS i (name, value)
            ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
            WHERE sync_state.value IS DISTINCT FROM excluded.value
            """,
            logger: logger
        )
    }
}
