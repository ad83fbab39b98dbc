import BackroomCore

extension SQLiteStorage: PreferenceStore {
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

    public func storedPreferences() async throws -> [Preference: String] {
        try await database.read { connection in
            var stored: [Preference: String] = [:]
            for row in try connection.query("SELECT name, value FROM preferences") {
                if let preference = row.text(0).flatMap(Preference.init(rawValue:)), let value = row.text(1) { stored[preference] = value }
            }
            return stored
        }
    }
}
