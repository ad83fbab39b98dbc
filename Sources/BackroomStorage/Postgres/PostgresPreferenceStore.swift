import BackroomCore
import Logging
import NIOSSL
import PostgresNIO

extension PostgresStorage: PreferenceStore {
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

    public func storedPreferences() async throws -> [Preference: String] {
        var stored: [Preference: String] = [:]
        for try await (name, value) in try await client.query("SELECT name, value FROM preferences", logger: logger).decode((String, String).self) {
            if let preference = Preference(rawValue: name) { stored[preference] = value }
        }
        return stored
    }
}
