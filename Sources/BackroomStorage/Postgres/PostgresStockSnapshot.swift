import BackroomCore
import Logging
import PostgresNIO

extension PostgresStorage {
    public func stockSnapshot(shops: [Int]) async throws -> StockSnapshot {
        try await transaction { connection in
            // One snapshot for the heads and the lines: on hand is exactly the movements up to them.
            try await connection.checkedQuery("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", logger: logger)
            let rows = try await connection.checkedQuery(
                """
                SELECT o.origin, GREATEST(
                    COALESCE((SELECT MAX(origin_seq) FROM movements m WHERE m.origin = o.origin), 0),
                    COALESCE((SELECT deleted_through FROM movement_horizons h WHERE h.origin = o.origin), 0))::bigint
                FROM (SELECT origin FROM origin_counters UNION SELECT origin FROM replicated_origins) o
                """,
                logger: logger
            ).decode((String, Int64).self).collect()
            var heads = SyncCursor()
            for (origin, head) in rows { heads = heads.advanced(to: head, of: try readable(try? ServerKey(origin), in: "origins")) }
            return StockSnapshot(stock: try await Self.stockLines(shops: shops, connection, logger: logger), heads: heads)
        }
    }

    public func load(_ snapshot: StockSnapshot, shops: [Int], own: ServerKey) async throws {
        let now = clock.nowMillis()
        let lines = snapshot.stock.filter { shops.contains($0.shop) }
        let wanted = shops.map(Int64.init)
        try await transaction { connection in
            try await connection.checkedQuery(
                "UPDATE stock SET on_hand = 0, blocked = 0, modified_at = \(now) WHERE shop_id = ANY(\(wanted)::bigint[])",
                logger: logger
            )
            try await connection.checkedQuery(
                """
                WITH input AS (
                    SELECT * FROM unnest(\(lines.map { Int64($0.shop) })::bigint[], \(lines.map(\.product))::text[],
                        \(lines.map(\.onHand))::bigint[], \(lines.map(\.blocked))::bigint[]) AS i (shop_id, product_id, on_hand, blocked)
                ), new_products AS (
                    INSERT INTO products (id) SELECT product_id FROM input ON CONFLICT (id) DO NOTHING
                )
                INSERT INTO stock (shop_id, product_id, on_hand, blocked, modified_at) SELECT shop_id, product_id, on_hand, blocked, \(now) FROM input
                ON CONFLICT (shop_id, product_id) DO UPDATE SET on_hand = excluded.on_hand, blocked = excluded.blocked
                """,
                logger: logger
            )
            // What this store sold since central's copy of its movements ends.
            try await connection.checkedQuery(
                """
                UPDATE stock SET on_hand = stock.on_hand + own.qty
                FROM (SELECT shop_id, product_id, SUM(qty) AS qty FROM movements WHERE origin = \(own.value) AND origin_seq > \(snapshot.heads.position(of: own))
                    GROUP BY shop_id, product_id) AS own
                WHERE stock.shop_id = own.shop_id AND stock.product_id = own.product_id AND stock.shop_id = ANY(\(wanted)::bigint[])
                """,
                logger: logger
            )
            try await connection.checkedQuery(
                """
                INSERT INTO sync_state (name, value, updated_at) VALUES (\(SyncStateKey.linkCursor.name), \(snapshot.heads.encoded), \(now))
                ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
                """,
                logger: logger
            )
        }
    }
}
