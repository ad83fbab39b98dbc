import BackroomCore

extension SQLiteStorage: SyncStateStore {
    public func syncState(_ key: SyncStateKey) async throws -> String? {
        let name = key.name
        return try await database.read { connection in
            try Self.syncState(connection, name)
        }
    }

    public func syncStates(_ keys: [SyncStateKey]) async throws -> [SyncStateKey: String] {
        try await database.read { connection in
            var values: [SyncStateKey: String] = [:]
            for key in keys {
                values[key] = try Self.syncState(connection, key.name)
            }
            return values
        }
    }

    public func writtenSyncState(_ key: SyncStateKey) async throws -> (value: String, writtenAt: Int64)? {
        try await database.read { connection in
            try connection.query("SELECT value, updated_at FROM sync_state WHERE name = ?", [.text(key.name)]).first.map {
                (value: try readable($0.text(0), in: "sync_state"), writtenAt: try readable($0.integer(1), in: "sync_state"))
            }
        }
    }

    public func setSyncState(_ key: SyncStateKey, _ value: String) async throws {
        let name = key.name
        try await database.write { [clock] connection in try Self.setSyncState(connection, name, value, at: clock.nowMillis()) }
    }

    public func setSyncStates(_ values: [SyncStateKey: String]) async throws {
        try await database.write { [clock] connection in
            for (key, value) in values { try Self.setSyncState(connection, key.name, value, at: clock.nowMillis()) }
        }
    }

    public func replaceSyncState(_ key: SyncStateKey, expected: String?, with value: String) async throws -> Bool {
        let name = key.name
        return try await database.write { connection in
            let now = SQLiteValue.integer(self.clock.nowMillis())
            guard let expected else {
                return try !connection.query(
                    "INSERT INTO sync_state (name, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING RETURNING name",
                    [.text(name), .text(value), now]
                ).isEmpty
            }
            return try !connection.query(
                "UPDATE sync_state SET value = ?, updated_at = ? WHERE name = ? AND value = ? RETURNING name",
                [.text(value), now, .text(name), .text(expected)]
            ).isEmpty
        }
    }

    /// A row of `sync_state` read inside a transaction already open.
    static func syncState(_ connection: SQLiteConnection, _ name: String) throws -> String? {
        try connection.query("SELECT value FROM sync_state WHERE name = ?", [.text(name)]).first?.text(0)
    }

    static func setSyncState(_ connection: SQLiteConnection, _ name: String, _ value: String, at now: Int64) throws {
        try connection.execute(
            """
            INSERT INTO sync_state (name, value, updated_at) VALUES (?, ?, ?)
            ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
            WHERE sync_state.value IS NOT excluded.value
            """,
            [.text(name), .text(value), .integer(now)]
        )
    }
}
