"""A year of a retailer loaded straight into a central's SQLite file, shaped as
history-postgresql.sql shapes it (see there). Usage: history-sqlite.py FILE STORES PER_STORE CENTRAL RESERVATIONS NOW"""
import sqlite3, sys

path, stores, per_store, central, reservations, now = sys.argv[1], *map(int, sys.argv[2:7])
year = 365 * 86_400_000
start = now - year
db = sqlite3.connect(path, isolation_level=None)
db.execute("PRAGMA journal_mode = WAL")
db.execute("PRAGMA synchronous = OFF")
db.execute("BEGIN")
# 1 to the count given; none for 0.
series = "WITH RECURSIVE n(i) AS (SELECT 1 WHERE ? > 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?1) "
# A skewed product: a few sell most.
def skewed(products):
    uniform = "((abs(random()) % 1000000) / 1e6)"
    return "printf('SKU-%%05d', 1 + CAST(%d * %s * %s * %s AS INTEGER))" % (products, uniform, uniform, uniform)

db.execute(series + "INSERT INTO shops (id, name) SELECT 20000 + i, 'Shop ' || i FROM n WHERE true ON CONFLICT DO NOTHING", (stores,))
db.execute(series + ", p(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM p WHERE j < 1000) "
           "INSERT INTO stock (shop_id, product_id, on_hand, blocked, modified_at) SELECT 20000 + i, printf('SKU-%05d', j), 0, 0, ? FROM n, p",
           (stores, now))
db.execute(series + "INSERT INTO servers (key, name, type, status) SELECT printf('S%04d', i), 'Store ' || i, 'store', 'OFF' FROM n", (stores,))
db.execute(series + "INSERT INTO server_shops (server_key, shop_id) SELECT printf('S%04d', i), 20000 + i FROM n", (stores,))
db.execute(series + ", s(j) AS (SELECT 1 WHERE ?2 > 0 UNION ALL SELECT j + 1 FROM s WHERE j < ?2) "
           "INSERT INTO movements (origin, origin_seq, shop_id, product_id, qty, reason, reference, created_at) "
           "SELECT printf('S%04d', i), j, 20000 + i, " + skewed(1000) + ", CASE WHEN j % 20 = 0 THEN 24 ELSE -1 END, "
           "CASE WHEN j % 20 = 0 THEN 'receipt' ELSE 'sale' END, 'history', ? + j * (? / ?) FROM n, s",
           (stores, per_store, start, year, per_store))
db.execute(series + "INSERT INTO replicated_origins (origin) SELECT printf('S%04d', i) FROM n WHERE true ON CONFLICT DO NOTHING", (stores,))
last = db.execute("SELECT COALESCE(MAX(origin_seq), 0) FROM movements WHERE origin = 'CENTRAL'").fetchone()[0]
db.execute(series + "INSERT INTO movements (origin, origin_seq, shop_id, product_id, qty, reason, reference, created_at) "
           "SELECT 'CENTRAL', ? + i, 10010, " + skewed(10000) + ", CASE WHEN i % 50 = 0 THEN 500 ELSE -1 END, "
           "CASE WHEN i % 50 = 0 THEN 'receipt' ELSE 'sale' END, 'history', ? + i * (? / ?) FROM n",
           (central, last, start, year, central))
db.execute("UPDATE origin_counters SET last_seq = (SELECT MAX(origin_seq) FROM movements WHERE origin = 'CENTRAL') WHERE origin = 'CENTRAL'")
db.execute("UPDATE stock SET on_hand = on_hand + total.qty FROM (SELECT shop_id, product_id, SUM(qty) AS qty FROM movements "
           "WHERE reference = 'history' GROUP BY shop_id, product_id) AS total "
           "WHERE stock.shop_id = total.shop_id AND stock.product_id = total.product_id")
db.execute("UPDATE stock SET on_hand = 1000000 WHERE on_hand < 0")
db.execute(series + "INSERT INTO reservations (id, shop_id, type, state, lifetime, valid_until, created_at, updated_at) "
           "SELECT i, 10010, 'COMPLETE', CASE i % 3 WHEN 0 THEN 'committed' WHEN 1 THEN 'cancelled' ELSE 'active' END, 600, "
           "? + i * (? / ?) + 600000, ? + i * (? / ?), ? + i * (? / ?) + 60000 FROM n",
           (reservations, start, year, reservations, start, year, reservations, start, year, reservations))
db.execute(series + ", l(j) AS (SELECT 1 UNION ALL SELECT 2) INSERT INTO reservation_items (reservation_id, line, product_id, qty) "
           "SELECT i, j, printf('SKU-%05d', 1 + (i * 7 + j * 13) % 10000), 1 FROM n, l", (reservations,))
heads = db.execute("SELECT o.origin, (SELECT MAX(origin_seq) FROM movements m WHERE m.origin = o.origin) FROM "
                   "(SELECT origin FROM replicated_origins UNION SELECT origin FROM origin_counters) o ORDER BY 1").fetchall()
for (key,) in db.execute("SELECT key FROM servers WHERE key LIKE 'S____'").fetchall():
    behind = int(key[1:]) % 100 == 0
    cursor = ",".join("%s:%d" % (origin, int(head * 0.9) if behind else head) for origin, head in heads if head)
    db.execute("INSERT INTO sync_state (name, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
               ("peer.%s.pulled" % key, cursor, now))
db.execute("COMMIT")
db.execute("DELETE FROM change_marks")
db.execute("ANALYZE")
db.close()
