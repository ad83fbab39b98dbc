import BackroomCore

/// The writes that wake the stores waiting on central (a parked pull) and a store's link waiting
/// for its own sales, written once: PostgreSQL's `NOTIFY` triggers, SQLite's change marks and the
/// tables SQLite's writer watches (`SQLiteChangedTables`) are all made from `sources`, and a test
/// fails when a table of the schema is in neither `sources` nor `unwatched`.
enum ChangeNotifications {
    /// Whom a write concerns.
    enum Reach: Equatable {
        /// The stores serving the shops of the written rows, told once per statement and shop: a
        /// batch of 1,000 movements of one shop is one notification (per row it cost 45 % of the
        /// sync bench's throughput).
        case shopsOfRows
        /// As `shopsOfRows`, naming the rows' origin too, so that a store is not woken by its own
        /// movements coming back.
        case shopsAndOriginsOfRows
        /// The stores serving the written row's shop.
        case shopOfRow
        /// Every store: what all of them receive (users, preferences, the registry, a resync).
        case everyStore
    }

    enum Event: Equatable {
        case insert, update, delete
        /// An update of one of these columns.
        case updateOf([String])
    }

    struct Source: Equatable {
        /// The trigger's name on PostgreSQL, and the stem of SQLite's mark triggers.
        let name: String
        let table: String
        let events: [Event]
        let reach: Reach
        /// An SQL condition on `NEW` (and `OLD` for updates) that the written row must meet.
        var condition: String?
        /// Whether SQLite's update hook names the table (it does not for `WITHOUT ROWID` tables).
        var hasRowid = true

        /// SQLite's update hook names only the table: a write is told by the hook when every
        /// write to the table is a change, and by a trigger that marks `change_marks` otherwise.
        var isWatchedByTable: Bool {
            hasRowid && condition == nil && !events.contains { if case .updateOf = $0 { true } else { false } }
        }
    }

    static let sources: [Source] = [
        Source(name: "movements_changed", table: "movements", events: [.insert], reach: .shopsAndOriginsOfRows),
        Source(name: "reservations_added", table: "reservations", events: [.insert], reach: .shopsOfRows),
        Source(name: "reservations_changed", table: "reservations", events: [.update], reach: .shopsOfRows),
        Source(
            name: "stock_blocked_changed",
            table: "stock",
            events: [.updateOf(["blocked"])],
            reach: .shopOfRow,
            condition: "NEW.blocked <> OLD.blocked",
            hasRowid: false
        ),
        Source(
            name: "users_changed",
            table: "users",
            events: [.insert, .delete, .updateOf(["password_hash", "disabled"])],
            reach: .everyStore
        ),
        Source(name: "user_rights_changed", table: "user_rights", events: [.insert, .delete, .update], reach: .everyStore),
        Source(name: "user_shops_changed", table: "user_shops", events: [.insert, .delete, .update], reach: .everyStore),
        Source(name: "preferences_changed", table: "preferences", events: [.insert, .delete, .update], reach: .everyStore),
        Source(name: "server_shops_changed", table: "server_shops", events: [.insert, .delete, .update], reach: .everyStore),
        Source(name: "server_tokens_changed", table: "servers", events: [.updateOf(["token_fingerprint", "next_token_sealed"])], reach: .everyStore),
        Source(
            name: "resync_requested",
            table: "sync_state",
            events: [.insert, .update],
            reach: .everyStore,
            condition: "NEW.name LIKE '\(SyncStateKey.peerResyncPattern)'"
        ),
    ]

    /// The tables no store waits on, and why: a new table must be put here or in `sources`.
    static let unwatched: [String: String] = [
        "schema_migrations": "the schema's own record",
        "shops": "a store learns of its shops through `server_shops`",
        "products": "names travel with the stock lines and movements that use them",
        "origin_counters": "a server's own numbering of its movements",
        "replicated_origins": "a server's own record of where movements came from",
        "movement_horizons": "what retention deleted; a store whose pull it concerns is away, not parked",
        "reservation_items": "written with their reservation, which tells",
        "central_reserved": "a store's copy of what central holds, written by its link",
        "api_tokens": "the ERP integrators' access, on central only",
        "idempotency_keys": "a client's retries, answered where they were made",
        "audit_log": "kept where it is written",
        "sessions": "the console's sign-ins, on the server they were made on",
        "server_status_history": "central's view of its stores",
        "sync_connections": "the engine's settings, per server",
        "sync_connectors": "the engine's settings, per server",
        "erp_imports": "the engine's record of ERP files taken",
        "leases": "which process runs the engine",
        "change_marks": "SQLite's marks of the changes in `sources`",
        "reserved_buckets": "PostgreSQL's sums of reserved stock, read with the stock they sum",
    ]

    /// The tables SQLite's writer watches: those whose every write is a change, and the marks.
    static let sqliteWatchedTables: Set<String> = Set(sources.filter(\.isWatchedByTable).map(\.table)).union(["change_marks"])

    /// Replaces the change triggers of PostgreSQL with those of `sources`; the functions they
    /// call are made by migrations 20 and 23.
    static var postgresStatements: [String] {
        sources.flatMap { source -> [String] in
            let events = source.events.map(sqlEvent).joined(separator: " OR ")
            let (level, function) =
                switch source.reach {
                case .shopsOfRows: ("REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT", "backroom_shops_changed")
                case .shopsAndOriginsOfRows: ("REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT", "backroom_movements_changed")
                case .shopOfRow: ("FOR EACH ROW", "backroom_shop_changed")
                case .everyStore: (source.condition == nil ? "FOR EACH STATEMENT" : "FOR EACH ROW", "backroom_everything_changed")
                }
            let when = source.condition.map { " WHEN (\($0))" } ?? ""
            return [
                "DROP TRIGGER IF EXISTS \(source.name) ON \(source.table)",
                "CREATE TRIGGER \(source.name) AFTER \(events) ON \(source.table) \(level)\(when) EXECUTE FUNCTION \(function)()",
            ]
        }
    }

    /// Replaces SQLite's mark triggers with those of `sources` that the update hook cannot tell.
    /// SQLite's triggers have one event each. They update the one row of `change_marks`: an
    /// `INSERT OR REPLACE` in a trigger takes the conflict policy of the statement that fired it,
    /// and an upsert's is to fail.
    static var sqliteStatements: [String] {
        ["INSERT OR IGNORE INTO change_marks (id, marked_by) VALUES (1, 'nothing yet')"]
            + sqliteMarks.flatMap { mark in
                let when = mark.source.condition.map { " WHEN \($0)" } ?? ""
                return [
                    "DROP TRIGGER IF EXISTS \(mark.name)",
                    """
                    CREATE TRIGGER \(mark.name) AFTER \(sqlEvent(mark.event)) ON \(mark.source.table) FOR EACH ROW\(when) BEGIN
                        UPDATE change_marks SET marked_by = '\(mark.source.name)' WHERE id = 1;
                    END
                    """,
                ]
            }
    }

    /// SQLite's mark triggers: one per event of each source the update hook cannot tell.
    static var sqliteMarks: [(name: String, source: Source, event: Event)] {
        sources.filter { !$0.isWatchedByTable }.flatMap { source in
            source.events.map { event in (sqliteMarkTrigger(source, event), source, event) }
        }
    }

    /// SQLite's mark triggers as migration 21 named them, replaced by those of `sources`.
    static let formerSQLiteTriggers = ["stock_blocked_marked", "server_token_marked", "resync_marked", "resync_again_marked"]

    private static func sqliteMarkTrigger(_ source: Source, _ event: Event) -> String {
        let suffix =
            switch event {
            case .insert: "inserted"
            case .update, .updateOf: "updated"
            case .delete: "deleted"
            }
        return "\(source.name)_\(suffix)_marked"
    }

    private static func sqlEvent(_ event: Event) -> String {
        switch event {
        case .insert: "INSERT"
        case .update: "UPDATE"
        case .delete: "DELETE"
        case .updateOf(let columns): "UPDATE OF \(columns.joined(separator: ", "))"
        }
    }
}
