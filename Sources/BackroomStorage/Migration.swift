import Foundation

/// One versioned schema change, applied in one transaction (on PostgreSQL an `online` one
/// outside any, so that it blocks no writer: see `concurrently`).
///
/// Statements are written once, in the SQL both databases share (`BIGINT` is an integer to
/// SQLite too); the few words that differ are placeholders each dialect fills in, so the two
/// schemas can never drift apart.
struct Migration: Sendable {
    enum Dialect {
        case sqlite
        case postgresql
    }

    let version: Int
    let name: String
    let statements: [String]
    /// The databases the change is for; on the others the version is recorded with nothing to do.
    var dialects: Set<Dialect> = [.sqlite, .postgresql]
    /// Runs outside a transaction on PostgreSQL, its statements building indexes `concurrently`
    /// while the old build serves on: each must be safe to run again after a crash midway.
    var online = false

    /// An auto-numbered 64-bit key.
    static let serialPrimaryKey = "{SERIAL PRIMARY KEY}"
    /// After a table whose rows are always found by their primary key: SQLite then keeps the
    /// rows in the key's own B-tree instead of a second one, one search and one page write less
    /// per row. PostgreSQL has no such choice.
    static let clusteredOnPrimaryKey = "{CLUSTERED ON PRIMARY KEY}"
    /// In `CREATE INDEX` and `DROP INDEX` of an `online` migration: PostgreSQL builds the index
    /// without blocking writes; SQLite has no such choice.
    static let concurrently = "{CONCURRENTLY}"

    func statements(for dialect: Dialect) -> [String] {
        guard dialects.contains(dialect) else { return [] }
        let (serial, clustered, concurrently) =
            switch dialect {
            case .sqlite: ("INTEGER PRIMARY KEY", "WITHOUT ROWID", "")
            case .postgresql: ("BIGSERIAL PRIMARY KEY", "", "CONCURRENTLY")
            }
        return statements.map {
            $0.replacingOccurrences(of: Self.serialPrimaryKey, with: serial)
                .replacingOccurrences(of: Self.clusteredOnPrimaryKey, with: clustered)
                .replacingOccurrences(of: Self.concurrently, with: concurrently)
        }
    }
}
