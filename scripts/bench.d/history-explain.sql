-- What waits for a store, counted as central's backlog sampler counts it, before migration 29
-- (each origin's movements past the cursor, filtered by shop afterwards) and after (each shop's
-- range of movements_by_shop), on the central `scripts/bench history` loaded. The store is a new
-- one for shop 10020 (no cursor), as in issue 27's probe. "Before" runs with the index dropped
-- inside a transaction that is rolled back.
\echo '== before: a new store of shop 10020, every origin scanned past 0 and filtered by shop'
BEGIN;
DROP INDEX movements_by_shop;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT COALESCE(SUM(waiting.count), 0)::bigint, MIN(waiting.oldest)
FROM (SELECT origin FROM origin_counters UNION SELECT origin FROM replicated_origins) o
CROSS JOIN LATERAL (
    SELECT COUNT(*) AS count, MIN(created_at) AS oldest FROM movements m
    WHERE m.origin = o.origin AND m.origin_seq > 0 AND m.shop_id = ANY('{10020}'::bigint[])
) waiting
WHERE o.origin <> 'NEWSTORE';
ROLLBACK;
\echo '== after: each of its shops read by its range of movements_by_shop'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT COALESCE(SUM(waiting.count), 0)::bigint, MIN(waiting.oldest)
FROM (SELECT origin FROM origin_counters UNION SELECT origin FROM replicated_origins) o
CROSS JOIN unnest('{10020}'::bigint[]) AS w(shop)
CROSS JOIN LATERAL (
    SELECT COUNT(*) AS count, MIN(created_at) AS oldest FROM movements m
    WHERE m.shop_id = w.shop AND m.origin = o.origin AND m.origin_seq > 0
) waiting
WHERE o.origin <> 'NEWSTORE';
\echo '== before: a catch-up pull of shop 20100 (its store offline, the cursor at 90 % of every head)'
BEGIN;
DROP INDEX movements_by_shop;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT m.origin, m.origin_seq FROM (SELECT origin, (head * 0.9)::bigint AS after, head FROM (SELECT o.origin, (SELECT MAX(origin_seq) FROM movements m WHERE m.origin = o.origin) AS head FROM unnest('{CENTRAL,S0001,S0002,S0100}'::text[]) AS o(origin)) h) c
CROSS JOIN LATERAL (
    SELECT * FROM movements m WHERE m.origin = c.origin AND m.origin_seq > c.after AND m.origin_seq <= c.head AND m.shop_id = ANY('{20100}'::bigint[])
    ORDER BY m.origin_seq LIMIT 1000
) m ORDER BY m.origin COLLATE "C", m.origin_seq LIMIT 1000;
ROLLBACK;
\echo '== after'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT m.origin, m.origin_seq FROM (SELECT origin, (head * 0.9)::bigint AS after, head FROM (SELECT o.origin, (SELECT MAX(origin_seq) FROM movements m WHERE m.origin = o.origin) AS head FROM unnest('{CENTRAL,S0001,S0002,S0100}'::text[]) AS o(origin)) h) c
CROSS JOIN LATERAL (
    SELECT s.* FROM unnest('{20100}'::bigint[]) AS w(shop)
    CROSS JOIN LATERAL (
        SELECT * FROM movements m WHERE m.shop_id = w.shop AND m.origin = c.origin AND m.origin_seq > c.after AND m.origin_seq <= c.head
        ORDER BY m.origin_seq LIMIT 1000
    ) s ORDER BY s.origin_seq LIMIT 1000
) m ORDER BY m.origin COLLATE "C", m.origin_seq LIMIT 1000;
