import BackroomCore
import BackroomTestSupport
import Testing

@testable import BackroomStorage

/// The change-notification contract is one list: every table of the schema is either a source of
/// changes or listed as one no store waits on, and the database holds exactly the list's triggers.
@Suite(.serialized)
struct ChangeNotificationsTests {
    @Test(arguments: TestDatabase.allCases)
    func everyTableOfTheSchemaIsASourceOrSaidToBeUnwatched(_ database: TestDatabase) async throws {
        try await database.withStorage { _, fresh async throws in
            let tables = try await fresh.texts(
                database == .sqlite
                    ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                    : "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema()"
            )
            #expect(tables.contains("movements") && tables.contains("stock"))
            let sources = Set(ChangeNotifications.sources.map(\.table))
            let undecided = Set(tables).subtracting(sources).subtracting(ChangeNotifications.unwatched.keys)
            #expect(undecided.isEmpty, "tables neither in ChangeNotifications.sources nor in .unwatched: \(undecided.sorted())")
            #expect(sources.isDisjoint(with: ChangeNotifications.unwatched.keys))
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func theDatabaseHoldsExactlyTheListsTriggers(_ database: TestDatabase) async throws {
        try await database.withStorage { _, fresh async throws in
            #expect(Set(try await Self.changeTriggers(fresh, database)) == Self.expectedTriggers(database))
        }
    }

    /// A database migrated before the list keeps no trigger of its own: the old ones are replaced.
    @Test(arguments: TestDatabase.allCases)
    func anOlderDatabasesTriggersAreReplacedByTheLists(_ database: TestDatabase) async throws {
        try await database.withStorage { storage, fresh async throws in
            switch database {
            case .sqlite:
                try await fresh.executeRaw(
                    """
                    DELETE FROM schema_migrations WHERE version = 28;
                    CREATE TRIGGER resync_marked AFTER INSERT ON sync_state FOR EACH ROW WHEN NEW.name LIKE 'peer.%.resync' BEGIN
                        INSERT OR REPLACE INTO change_marks (id, marked_by) VALUES (1, 'resync');
                    END;
                    DROP TRIGGER \(ChangeNotifications.sqliteMarks[0].name);
                    """
                )
                #expect(try await storage.migrate() == [28])
            case .postgresql:
                try await fresh.executeRaw("DELETE FROM schema_migrations WHERE version = 27")
                try await fresh.executeRaw("DROP TRIGGER movements_changed ON movements")
                try await fresh.executeRaw(
                    """
                    CREATE TRIGGER movements_changed AFTER INSERT ON movements REFERENCING NEW TABLE AS changed_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION backroom_shops_changed()
                    """
                )
                #expect(try await storage.migrate() == [27])
                #expect(
                    try await fresh.texts(
                        "SELECT p.proname::text FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid WHERE t.tgname = 'movements_changed'"
                    ) == ["backroom_movements_changed"]
                )
            }
            #expect(Set(try await Self.changeTriggers(fresh, database)) == Self.expectedTriggers(database))
        }
    }

    @Test func sqliteWatchesTheTablesWhoseEveryWriteIsAChangeAndTheMarks() {
        #expect(
            ChangeNotifications.sqliteWatchedTables == [
                "movements", "reservations", "change_marks", "user_rights", "user_shops", "preferences", "server_shops",
            ]
        )
    }

    /// The resync condition follows `SyncStateKey`'s spelling: a store's resync marks a change,
    /// its pull cursor (written on every exchange) does not.
    @Test func aResyncMarksAChangeAndAPullCursorDoesNot() async throws {
        try await TestDatabase.sqlite.withStorage { storage, fresh async throws in
            let store = try ServerKey("VALLBLANCA")
            try await storage.setSyncState(.peerPulled(store), "42")
            #expect(try await fresh.texts("SELECT marked_by FROM change_marks") == ["nothing yet"])
            try await storage.setSyncState(.peerResync(store), "1")
            #expect(try await fresh.texts("SELECT marked_by FROM change_marks") == ["resync_requested"])
        }
    }

    /// A mark made while another is standing: SQLite's upsert of a stock line once made its mark
    /// trigger fail on the row a resync had marked, and the stock setting with it.
    @Test(arguments: TestDatabase.allCases)
    func blockingStockAfterAResyncIsMarkedAndSaved(_ database: TestDatabase) async throws {
        try await database.withStorage { storage, fresh async throws in
            try await storage.addMissingShops([Shop(id: 10010, name: "Centre")])
            try await storage.setStock(shop: 10010, [StockSetting(product: "A", onHand: 5, blocked: 0)], origin: .central, at: 1)
            try await storage.setSyncState(.peerResync(try ServerKey("VALLBLANCA")), "1")
            try await storage.setStock(shop: 10010, [StockSetting(product: "A", onHand: 5, blocked: 2)], origin: .central, at: 2)
            #expect(try await storage.stockLevel(shop: 10010, product: "A")?.blocked == 2)
            if database == .sqlite {
                #expect(try await fresh.texts("SELECT marked_by FROM change_marks") == ["stock_blocked_changed"])
            }
        }
    }

    private static func expectedTriggers(_ database: TestDatabase) -> Set<String> {
        database == .sqlite ? Set(ChangeNotifications.sqliteMarks.map(\.name)) : Set(ChangeNotifications.sources.map(\.name))
    }

    private static func changeTriggers(_ fresh: FreshDatabase, _ database: TestDatabase) async throws -> [String] {
        try await fresh.texts(
            database == .sqlite
                ? "SELECT name FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%change_marks%'"
                : """
                SELECT t.tgname::text FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
                WHERE NOT t.tgisinternal AND p.proname IN ('backroom_shop_changed', 'backroom_shops_changed', 'backroom_everything_changed', 'backroom_movements_changed')
                """
        )
    }
}
