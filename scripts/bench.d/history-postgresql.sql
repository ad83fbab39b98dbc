-- A year of a retailer with :stores shops, each with its store, loaded straight into central's
-- tables (psql variables: stores, per_store, central, reservations, now). Triggers are off while
-- it loads (session_replication_role): foreign keys hold by construction, and the change
-- notifications would only wake stores that are not running.
SET session_replication_role = replica;
\set year 31536000000
\set start (:now - :year)

INSERT INTO shops (id, name) SELECT 20000 + i, 'Shop ' || i FROM generate_series(1, :stores) i ON CONFLICT DO NOTHING;
-- Each store's shop sells the first 1,000 products; the web shop (10010) all 10,000 of the demo.
INSERT INTO stock (shop_id, product_id, on_hand, blocked, modified_at)
SELECT 20000 + i, 'SKU-' || lpad(p::text, 5, '0'), 0, 0, :now FROM generate_series(1, :stores) i, generate_series(1, 1000) p;
INSERT INTO servers (key, name, type, status) SELECT 'S' || lpad(i::text, 4, '0'), 'Store ' || i, 'store', 'OFF' FROM generate_series(1, :stores) i;
INSERT INTO server_shops (server_key, shop_id) SELECT 'S' || lpad(i::text, 4, '0'), 20000 + i FROM generate_series(1, :stores) i;

-- Each store's sales and receipts, products skewed (a few sell most), spread over the year in order.
INSERT INTO movements (origin, origin_seq, shop_id, product_id, qty, reason, reference, created_at)
SELECT 'S' || lpad(i::text, 4, '0'), s, 20000 + i, 'SKU-' || lpad((1 + floor(1000 * power(random(), 3)))::int::text, 5, '0'),
    CASE WHEN s % 20 = 0 THEN 24 ELSE -1 END, CASE WHEN s % 20 = 0 THEN 'receipt' ELSE 'sale' END, 'history',
    :start + s * (:year / NULLIF(:per_store, 0))
FROM generate_series(1, :stores) i, generate_series(1, :per_store) s;
INSERT INTO replicated_origins (origin) SELECT 'S' || lpad(i::text, 4, '0') FROM generate_series(1, :stores) i ON CONFLICT DO NOTHING;

-- The web shop's committed reservations, central's own movements, after the demo's.
INSERT INTO movements (origin, origin_seq, shop_id, product_id, qty, reason, reference, created_at)
SELECT 'CENTRAL', base.last + s, 10010, 'SKU-' || lpad((1 + floor(10000 * power(random(), 3)))::int::text, 5, '0'),
    CASE WHEN s % 50 = 0 THEN 500 ELSE -1 END, CASE WHEN s % 50 = 0 THEN 'receipt' ELSE 'sale' END, 'history',
    :start + s * (:year / NULLIF(:central, 0))
FROM (SELECT COALESCE(MAX(origin_seq), 0) AS last FROM movements WHERE origin = 'CENTRAL') base, generate_series(1, :central) s;
UPDATE origin_counters SET last_seq = (SELECT MAX(origin_seq) FROM movements WHERE origin = 'CENTRAL') WHERE origin = 'CENTRAL';

UPDATE stock SET on_hand = stock.on_hand + total.qty
FROM (SELECT shop_id, product_id, SUM(qty) AS qty FROM movements WHERE reference = 'history' GROUP BY shop_id, product_id) total
WHERE stock.shop_id = total.shop_id AND stock.product_id = total.product_id;
-- Sold more than received: stocked up by a count, as a shop would.
UPDATE stock SET on_hand = 1000000 WHERE on_hand < 0;

-- Finished reservations of the web shop: committed, cancelled, expired, two lines each.
INSERT INTO reservations (id, shop_id, type, state, lifetime, valid_until, created_at, updated_at)
SELECT r, 10010, 'COMPLETE', (ARRAY['committed', 'cancelled', 'active'])[1 + r % 3], 600, t + 600000, t, t + 60000
FROM (SELECT r, :start + r * (:year / NULLIF(:reservations, 0)) AS t FROM generate_series(1, :reservations) r) made;
INSERT INTO reservation_items (reservation_id, line, product_id, qty)
SELECT r, l, 'SKU-' || lpad((1 + (r * 7 + l * 13) % 10000)::text, 5, '0'), 1 FROM generate_series(1, :reservations) r, generate_series(1, 2) l;
SELECT setval(pg_get_serial_sequence('reservations', 'id'), (SELECT MAX(id) FROM reservations));

-- Every store has pulled up to the heads, but one in a hundred, offline for a month or more.
CREATE TEMPORARY TABLE heads AS
SELECT o.origin, (SELECT MAX(origin_seq) FROM movements m WHERE m.origin = o.origin) AS head
FROM (SELECT origin FROM replicated_origins UNION SELECT origin FROM origin_counters) o;
INSERT INTO sync_state (name, value, updated_at)
SELECT 'peer.' || s.key || '.pulled', string_agg(h.origin || ':' || CASE WHEN substr(s.key, 2)::int % 100 = 0 THEN (h.head * 0.9)::bigint ELSE h.head END, ',' ORDER BY h.origin), :now
FROM servers s CROSS JOIN heads h
WHERE s.key LIKE 'S____'
GROUP BY s.key
ON CONFLICT (name) DO UPDATE SET value = excluded.value;

RESET session_replication_role;
ANALYZE;
