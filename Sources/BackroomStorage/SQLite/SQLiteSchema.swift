/// Backroom's schema in SQLite's dialect. Instants are milliseconds since 1970.
enum SQLiteSchema {
    static let migrations = [
        Migration(version: 1, name: "foundation", statements: [
            "CREATE TABLE shops (id INTEGER PRIMARY KEY, name TEXT NOT NULL)",
            "CREATE TABLE products (id TEXT PRIMARY KEY, name TEXT NOT NULL DEFAULT '')",
            """
            CREATE TABLE stock (
                shop_id INTEGER NOT NULL REFERENCES shops(id),
                product_id TEXT NOT NULL REFERENCES products(id),
                on_hand INTEGER NOT NULL DEFAULT 0,
                blocked INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (shop_id, product_id)
            ) WITHOUT ROWID
            """,
            """
            CREATE TABLE movements (
                seq INTEGER PRIMARY KEY,
                origin TEXT NOT NULL,
                origin_seq INTEGER NOT NULL,
                shop_id INTEGER NOT NULL,
                product_id TEXT NOT NULL,
                qty INTEGER NOT NULL,
                reason TEXT NOT NULL,
                reference TEXT,
                created_at INTEGER NOT NULL,
                UNIQUE (origin, origin_seq),
                FOREIGN KEY (shop_id, product_id) REFERENCES stock(shop_id, product_id)
            )
            """,
            "CREATE INDEX movements_by_product ON movements (shop_id, product_id)",
            "CREATE TABLE origin_counters (origin TEXT PRIMARY KEY, last_seq INTEGER NOT NULL)",
            """
            CREATE TABLE users (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                password_hash TEXT NOT NULL,
                created_at INTEGER NOT NULL
            )
            """,
            """
            CREATE TABLE user_rights (
                user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                right_name TEXT NOT NULL,
                PRIMARY KEY (user_id, right_name)
            ) WITHOUT ROWID
            """,
            """
            CREATE TABLE user_shops (
                user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                shop_id INTEGER NOT NULL,
                PRIMARY KEY (user_id, shop_id)
            ) WITHOUT ROWID
            """,
            """
            CREATE TABLE api_tokens (
                fingerprint TEXT PRIMARY KEY,
                user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                created_at INTEGER NOT NULL
            ) WITHOUT ROWID
            """,
            """
            CREATE TABLE sessions (
                fingerprint TEXT PRIMARY KEY,
                xsrf_fingerprint TEXT NOT NULL,
                user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                expires_at INTEGER NOT NULL
            ) WITHOUT ROWID
            """,
            "CREATE TABLE preferences (name TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at INTEGER NOT NULL)",
            """
            CREATE TABLE servers (
                key TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                type TEXT NOT NULL,
                url TEXT,
                status TEXT NOT NULL DEFAULT 'OFF',
                updated_at INTEGER,
                last_ping INTEGER,
                offline_log TEXT,
                priority INTEGER NOT NULL DEFAULT 0,
                token_fingerprint TEXT UNIQUE
            )
            """,
            """
            CREATE TABLE server_shops (
                server_key TEXT NOT NULL REFERENCES servers(key) ON DELETE CASCADE,
                shop_id INTEGER NOT NULL,
                PRIMARY KEY (server_key, shop_id)
            ) WITHOUT ROWID
            """,
        ]),
    ]
}
