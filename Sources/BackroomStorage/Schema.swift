import BackroomCore

/// Backroom's schema, for both databases. Instants are milliseconds since 1970.
enum Schema {
    static var latestVersion: Int { migrations.last?.version ?? 0 }

    /// Key of the PostgreSQL advisory lock that lets only one process migrate at a time.
    static let migrationLockKey: Int64 = 0x4241_434B_524F_4F4D  // "BACKROOM"

    /// Now in milliseconds since 1970, in SQLite before 3.42 (which has no `unixepoch('subsec')`).
    private static let sqliteNowMillis = "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)"

    static let migrations = [
        Migration(
            version: 1,
            name: "foundation",
            statements: [
                "CREATE TABLE shops (id BIGINT PRIMARY KEY, name TEXT NOT NULL)",
                "CREATE TABLE products (id TEXT PRIMARY KEY, name TEXT NOT NULL DEFAULT '')",
                """
                CREATE TABLE stock (
                    shop_id BIGINT NOT NULL REFERENCES shops(id),
                    product_id TEXT NOT NULL REFERENCES products(id),
                    on_hand BIGINT NOT NULL DEFAULT 0,
                    blocked BIGINT NOT NULL DEFAULT 0,
                    PRIMARY KEY (shop_id, product_id)
                ) \(Migration.clusteredOnPrimaryKey)
                """,
                """
                CREATE TABLE movements (
                    seq \(Migration.serialPrimaryKey),
                    origin TEXT NOT NULL,
                    origin_seq BIGINT NOT NULL,
                    shop_id BIGINT NOT NULL,
                    product_id TEXT NOT NULL,
                    qty BIGINT NOT NULL,
                    reason TEXT NOT NULL,
                    reference TEXT,
                    created_at BIGINT NOT NULL,
                    UNIQUE (origin, origin_seq),
                    FOREIGN KEY (shop_id, product_id) REFERENCES stock(shop_id, product_id)
                )
                """,
                "CREATE INDEX movements_by_product ON movements (shop_id, product_id)",
                "CREATE TABLE origin_counters (origin TEXT PRIMARY KEY, last_seq BIGINT NOT NULL)",
                """
                CREATE TABLE users (
                    id \(Migration.serialPrimaryKey),
                    name TEXT NOT NULL UNIQUE,
                    password_hash TEXT NOT NULL,
                    created_at BIGINT NOT NULL
                )
                """,
                """
                CREATE TABLE user_rights (
                    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                    right_name TEXT NOT NULL,
                    PRIMARY KEY (user_id, right_name)
                )
                """,
                """
                CREATE TABLE user_shops (
                    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                    shop_id BIGINT NOT NULL,
                    PRIMARY KEY (user_id, shop_id)
                )
                """,
                """
                CREATE TABLE api_tokens (
                    fingerprint TEXT PRIMARY KEY,
                    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                    created_at BIGINT NOT NULL
                )
                """,
                """
                CREATE TABLE sessions (
                    fingerprint TEXT PRIMARY KEY,
                    xsrf_fingerprint TEXT NOT NULL,
                    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                    expires_at BIGINT NOT NULL
                )
                """,
                "CREATE TABLE preferences (name TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at BIGINT NOT NULL)",
                """
                CREATE TABLE servers (
                    key TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    type TEXT NOT NULL,
                    url TEXT,
                    status TEXT NOT NULL DEFAULT 'OFF',
                    updated_at BIGINT,
                    last_ping BIGINT,
                    offline_log TEXT,
                    priority INTEGER NOT NULL DEFAULT 0,
                    token_fingerprint TEXT UNIQUE
                )
                """,
                """
                CREATE TABLE server_shops (
                    server_key TEXT NOT NULL REFERENCES servers(key) ON DELETE CASCADE,
                    shop_id BIGINT NOT NULL,
                    PRIMARY KEY (server_key, shop_id)
                )
                """,
            ]
        ),
        Migration(
            version: 2,
            name: "reservations",
            statements: [
                """
                CREATE TABLE reservations (
                    id \(Migration.serialPrimaryKey),
                    shop_id BIGINT NOT NULL REFERENCES shops(id),
                    type TEXT NOT NULL,
                    state TEXT NOT NULL,
                    lifetime BIGINT NOT NULL,
                    valid_until BIGINT NOT NULL,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL
                )
                """,
                """
                CREATE TABLE reservation_items (
                    reservation_id BIGINT NOT NULL REFERENCES reservations(id),
                    line INTEGER NOT NULL,
                    product_id TEXT NOT NULL,
                    qty BIGINT NOT NULL,
                    PRIMARY KEY (reservation_id, line)
                ) \(Migration.clusteredOnPrimaryKey)
                """,
                // What active reservations hold, per product and expiry second: the sum of the rows
                // that have not expired is what is reserved, exact to the instant, with no sweeper.
                """
                CREATE TABLE reserved_buckets (
                    shop_id BIGINT NOT NULL,
                    product_id TEXT NOT NULL,
                    expires_at BIGINT NOT NULL,
                    qty BIGINT NOT NULL,
                    PRIMARY KEY (shop_id, product_id, expires_at)
                ) \(Migration.clusteredOnPrimaryKey)
                """,
                """
                CREATE TABLE idempotency_keys (
                    user_id BIGINT NOT NULL,
                    scope TEXT NOT NULL,
                    key TEXT NOT NULL,
                    request TEXT NOT NULL,
                    answer TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    PRIMARY KEY (user_id, scope, key)
                )
                """,
            ]
        ),
        // The writer keeps these sums in memory on SQLite (`SQLiteReservedLedger`); PostgreSQL,
        // shared by several processes, still locks and sums them in the table.
        Migration(
            version: 3,
            name: "reserved sums in the writer's memory on SQLite",
            statements: ["DROP TABLE reserved_buckets"],
            dialects: [.sqlite]
        ),
        Migration(
            version: 4,
            name: "sync state",
            statements: [
                "CREATE TABLE sync_state (name TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at BIGINT NOT NULL)"
            ]
        ),
        // On a store: what central holds reserved, as of the last pull (reservations live on central).
        Migration(
            version: 5,
            name: "central reserved",
            statements: [
                """
                CREATE TABLE central_reserved (
                    shop_id BIGINT NOT NULL,
                    product_id TEXT NOT NULL,
                    qty BIGINT NOT NULL,
                    PRIMARY KEY (shop_id, product_id)
                ) \(Migration.clusteredOnPrimaryKey)
                """
            ]
        ),
        // Every origin whose movements this server holds, so that a pull can walk each origin's
        // index instead of the whole table (origins of this server are in origin_counters).
        Migration(
            version: 6,
            name: "replicated origins",
            statements: [
                "CREATE TABLE replicated_origins (origin TEXT PRIMARY KEY)"
            ]
        ),
        // The sync engine: the connections its rounds visit, the ERP files imported (each once),
        // and the lease that lets one process at a time run rounds.
        Migration(
            version: 7,
            name: "sync engine",
            statements: [
                """
                CREATE TABLE sync_connections (
                    id \(Migration.serialPrimaryKey),
                    connector TEXT NOT NULL,
                    name TEXT NOT NULL,
                    uuid TEXT NOT NULL,
                    active BIGINT NOT NULL DEFAULT 1,
                    deleted BIGINT NOT NULL DEFAULT 0,
                    config TEXT NOT NULL,
                    last_success_at BIGINT,
                    last_error TEXT,
                    created_at BIGINT NOT NULL,
                    UNIQUE (connector, name)
                )
                """,
                """
                CREATE TABLE erp_imports (
                    connection_id BIGINT NOT NULL,
                    file_key TEXT NOT NULL,
                    imported_at BIGINT NOT NULL,
                    PRIMARY KEY (connection_id, file_key)
                )
                """,
                "CREATE TABLE leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at BIGINT NOT NULL)",
            ]
        ),
        // ATP's `modificationDate`: when a stock line's on hand or blocked last changed; lines from
        // before are dated by their newest movement. (Migrations 9 and 10 kept it by triggers,
        // which 13 and 14 drop: its writers set it from the process's clock now.)
        Migration(
            version: 8,
            name: "stock modification time",
            statements: [
                "ALTER TABLE stock ADD COLUMN modified_at BIGINT NOT NULL DEFAULT 0",
                """
                UPDATE stock SET modified_at = COALESCE((
                    SELECT MAX(m.created_at) FROM movements m WHERE m.shop_id = stock.shop_id AND m.product_id = stock.product_id
                ), 0)
                """,
            ]
        ),
        Migration(
            version: 9,
            name: "stock modification time kept by SQLite",
            statements: [
                """
                CREATE TRIGGER stock_added AFTER INSERT ON stock FOR EACH ROW BEGIN
                    UPDATE stock SET modified_at = \(Self.sqliteNowMillis)
                    WHERE shop_id = NEW.shop_id AND product_id = NEW.product_id;
                END
                """,
                """
                CREATE TRIGGER stock_changed AFTER UPDATE OF on_hand, blocked ON stock
                FOR EACH ROW WHEN NEW.on_hand <> OLD.on_hand OR NEW.blocked <> OLD.blocked BEGIN
                    UPDATE stock SET modified_at = \(Self.sqliteNowMillis)
                    WHERE shop_id = NEW.shop_id AND product_id = NEW.product_id;
                END
                """,
            ],
            dialects: [.sqlite]
        ),
        Migration(
            version: 10,
            name: "stock modification time kept by PostgreSQL",
            statements: [
                """
                CREATE FUNCTION stock_modified() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    NEW.modified_at := (EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::bigint;
                    RETURN NEW;
                END
                $$
                """,
                "CREATE TRIGGER stock_added BEFORE INSERT ON stock FOR EACH ROW EXECUTE FUNCTION stock_modified()",
                """
                CREATE TRIGGER stock_changed BEFORE UPDATE OF on_hand, blocked ON stock FOR EACH ROW
                WHEN (NEW.on_hand <> OLD.on_hand OR NEW.blocked <> OLD.blocked) EXECUTE FUNCTION stock_modified()
                """,
            ],
            dialects: [.postgresql]
        ),
        // The original suite reads the offline wait in milliseconds and the read time-out in
        // minutes; Backroom stored minutes and seconds. What operators set keeps its meaning.
        Migration(
            version: 11,
            name: "preferences in the original's units",
            statements: [
                """
                UPDATE preferences SET value = CAST(CAST(value AS BIGINT) * 60000 AS TEXT)
                WHERE name = 'OBMOBC_TransitionToOfflineWait'
                """,
                """
                UPDATE preferences SET value = CAST((CAST(value AS BIGINT) + 59) / 60 AS TEXT)
                WHERE name = 'OBMOBC_READ_TIMEOUT_REQUEST'
                """,
            ]
        ),
        // Never read or written: the order of the engine's visits is the connections' own.
        Migration(version: 12, name: "servers without priority", statements: ["ALTER TABLE servers DROP COLUMN priority"]),
        // Writers set stock.modified_at from the clock the process is given, as every other instant.
        Migration(
            version: 13,
            name: "stock modification time set by its writers",
            statements: [
                "DROP TRIGGER stock_added", "DROP TRIGGER stock_changed",
            ],
            dialects: [.sqlite]
        ),
        Migration(
            version: 14,
            name: "stock modification time set by its writers on PostgreSQL",
            statements: [
                "DROP TRIGGER stock_added ON stock", "DROP TRIGGER stock_changed ON stock", "DROP FUNCTION stock_modified()",
            ],
            dialects: [.postgresql]
        ),
        // Connections name their connector by id (HTTP connectors are entities of their own, from
        // 101 up), and may be given their place in a round.
        Migration(
            version: 15,
            name: "connectors and priorities",
            statements: [
                "ALTER TABLE sync_connections ADD COLUMN connector_id BIGINT NOT NULL DEFAULT 0",
                """
                UPDATE sync_connections SET connector_id = CASE connector
                    WHEN 'store-link' THEN 1 WHEN 'central-link' THEN 2 WHEN 'erp-files' THEN 3 ELSE 0 END
                """,
                "ALTER TABLE sync_connections ADD COLUMN priority BIGINT",
                """
                CREATE TABLE sync_connectors (
                    id BIGINT PRIMARY KEY,
                    name TEXT NOT NULL,
                    url TEXT NOT NULL,
                    deleted BIGINT NOT NULL DEFAULT 0,
                    created_at BIGINT NOT NULL
                )
                """,
            ]
        ),
        // Who changed what, when and from where; kept 90 days.
        Migration(
            version: 16,
            name: "audit log",
            statements: [
                """
                CREATE TABLE audit_log (
                    id \(Migration.serialPrimaryKey),
                    at BIGINT NOT NULL,
                    actor TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    origin TEXT NOT NULL,
                    action TEXT NOT NULL,
                    target TEXT NOT NULL,
                    detail TEXT NOT NULL
                )
                """,
                "CREATE INDEX audit_log_by_time ON audit_log (at)",
            ]
        ),
        // Users can be disabled without losing their history; tokens show when they were last used.
        Migration(
            version: 17,
            name: "disabled users and token use",
            statements: [
                "ALTER TABLE users ADD COLUMN disabled BIGINT NOT NULL DEFAULT 0",
                "ALTER TABLE api_tokens ADD COLUMN last_used_at BIGINT",
            ]
        ),
        // A store's next sync token, sealed until the store has collected it at a pull; its
        // fingerprint lets the store in with it, and its first use retires the old one.
        Migration(
            version: 18,
            name: "store token rotation",
            statements: [
                "ALTER TABLE servers ADD COLUMN next_token_fingerprint TEXT",
                "ALTER TABLE servers ADD COLUMN next_token_sealed TEXT",
                "CREATE UNIQUE INDEX servers_by_next_token ON servers (next_token_fingerprint)",
            ]
        ),
        // Each change of a server's status, with the reason it went offline: its history.
        Migration(
            version: 19,
            name: "server status history",
            statements: [
                """
                CREATE TABLE server_status_history (
                    id \(Migration.serialPrimaryKey),
                    server_key TEXT NOT NULL REFERENCES servers(key) ON DELETE CASCADE,
                    at BIGINT NOT NULL,
                    status TEXT NOT NULL,
                    reason TEXT
                )
                """,
                "CREATE INDEX server_status_history_by_server ON server_status_history (server_key, id)",
            ]
        ),
        // Wakes the stores' long polls on every process of a shared database: on commit, a
        // shop's id, or `*` for every store. Identical notifications of one transaction arrive
        // once. The triggers that call these are made from `ChangeNotifications` (migration 27).
        Migration(
            version: 20,
            name: "change notifications",
            statements: [
                """
                CREATE FUNCTION backroom_shop_changed() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN PERFORM pg_notify('backroom_changes', NEW.shop_id::text); RETURN NULL; END $$
                """,
                """
                CREATE FUNCTION backroom_shops_changed() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN PERFORM pg_notify('backroom_changes', shop_id::text) FROM (SELECT DISTINCT shop_id FROM changed_rows) AS shops; RETURN NULL; END $$
                """,
                """
                CREATE FUNCTION backroom_everything_changed() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN PERFORM pg_notify('backroom_changes', '*'); RETURN NULL; END $$
                """,
            ],
            dialects: [.postgresql]
        ),
        // SQLite's update hook, which `SQLiteChangedTables` listens to, is silent on tables
        // without a rowid such as `stock`, and the tables of the registry and sync state change
        // on every exchange: the changes a store waits for among them mark a table of their own
        // (the triggers that mark it are made from `ChangeNotifications`, migration 28).
        Migration(
            version: 21,
            name: "change marks",
            statements: [
                "CREATE TABLE change_marks (id INTEGER PRIMARY KEY, marked_by TEXT NOT NULL)"
            ],
            dialects: [.sqlite]
        ),
        // Every pull of a caught-up store reads what is blocked in its shops: with tens of
        // thousands of products a shop, a scan of its stock lines for the few with some blocked.
        Migration(
            version: 22,
            name: "blocked stock indexed",
            statements: [
                "CREATE INDEX stock_blocked ON stock (shop_id) WHERE blocked <> 0"
            ]
        ),
        // Movements notify their shop and origin (`ShopChange.movements`): a store's own push
        // is no news to its parked pull. One notification per shop and origin of a statement.
        Migration(
            version: 23,
            name: "movements notify their origin",
            statements: [
                """
                CREATE FUNCTION backroom_movements_changed() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN PERFORM pg_notify('backroom_changes', shop_id::text || ' ' || origin)
                    FROM (SELECT DISTINCT shop_id, origin FROM changed_rows) AS changed; RETURN NULL; END $$
                """
            ],
            dialects: [.postgresql]
        ),
        // No accepted input may make a stock line unreadable: on hand and blocked stay within
        // `StockLevel.onHandBounds` on every write, from every path (a push, a till, an ERP
        // file, a stock setting), checked by the database itself. Without it SQLite turned an
        // overflowing sum into a floating-point number and PostgreSQL refused every later sum.
        // The checks run after the row is written: an upsert's proposed row is not the result.
        Migration(
            version: 24,
            name: "stock within bounds",
            statements: [
                """
                CREATE TRIGGER stock_within_bounds_added AFTER INSERT ON stock
                FOR EACH ROW WHEN \(Self.stockOutOfBounds) BEGIN SELECT RAISE(ABORT, '\(StorageError.stockBoundsCheck)'); END
                """,
                """
                CREATE TRIGGER stock_within_bounds_changed AFTER UPDATE OF on_hand, blocked ON stock
                FOR EACH ROW WHEN \(Self.stockOutOfBounds) BEGIN SELECT RAISE(ABORT, '\(StorageError.stockBoundsCheck)'); END
                """,
            ],
            dialects: [.sqlite]
        ),
        Migration(
            version: 25,
            name: "stock within bounds on PostgreSQL",
            statements: [
                """
                CREATE FUNCTION backroom_stock_out_of_bounds() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'stock out of bounds' USING ERRCODE = 'check_violation', CONSTRAINT = '\(StorageError.stockBoundsCheck)'; END $$
                """,
                """
                CREATE TRIGGER \(StorageError.stockBoundsCheck) AFTER INSERT OR UPDATE OF on_hand, blocked ON stock
                FOR EACH ROW WHEN (\(Self.stockOutOfBounds)) EXECUTE FUNCTION backroom_stock_out_of_bounds()
                """,
            ],
            dialects: [.postgresql]
        ),
        // What each store runs, as its calls to central say (`PeerSoftware`). Nullable columns:
        // added online, without rewriting the table.
        Migration(
            version: 26,
            name: "servers' software",
            statements: [
                "ALTER TABLE servers ADD COLUMN software_version TEXT",
                "ALTER TABLE servers ADD COLUMN sync_protocol BIGINT",
            ]
        ),
        // The change triggers made from one list; a change to the list is a migration that
        // runs these again (and drops the triggers of entries it removes).
        Migration(
            version: 27,
            name: "change notifications from one list",
            statements: ChangeNotifications.postgresStatements,
            dialects: [.postgresql]
        ),
        Migration(
            version: 28,
            name: "change marks from one list",
            statements: ChangeNotifications.formerSQLiteTriggers.map { "DROP TRIGGER IF EXISTS \($0)" } + ChangeNotifications.sqliteStatements,
            dialects: [.sqlite]
        ),
        // What waits for a store, and its catch-up pull, read by shop first: each of its shops'
        // movements of an origin past its cursor, not every movement of the origin filtered by
        // shop afterwards, which on a central with a year in it is a scan of the history.
        // `created_at` rides along so that a store's lag is read from the index alone. Built
        // online: on a central with a year in it, the build takes minutes.
        Migration(
            version: 29,
            name: "movements by shop",
            statements: [
                // A build a crash cut short leaves an invalid index behind: made again.
                "DROP INDEX \(Migration.concurrently) IF EXISTS movements_by_shop",
                "CREATE INDEX \(Migration.concurrently) movements_by_shop ON movements (shop_id, origin, origin_seq, created_at)",
            ],
            online: true
        ),
        // Each origin's last movement deleted by retention (`MovementRetention`): nothing at or
        // below it is applied again, and a cursor behind it can no longer be served.
        Migration(
            version: 30,
            name: "movement horizons",
            statements: [
                "CREATE TABLE movement_horizons (origin TEXT PRIMARY KEY, deleted_through BIGINT NOT NULL)"
            ]
        ),
    ]

    /// A stock row beyond its bounds (in SQLite, also the floating-point number an overflowing
    /// sum becomes).
    private static let stockOutOfBounds = """
        NEW.on_hand NOT BETWEEN \(StockLevel.onHandBounds.lowerBound) AND \(StockLevel.onHandBounds.upperBound) \
        OR NEW.blocked NOT BETWEEN 0 AND \(StockLevel.onHandBounds.upperBound)
        """
}
