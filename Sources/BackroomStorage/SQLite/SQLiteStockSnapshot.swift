import BackroomCore

extension SQLiteStorage {
    public func stockSnapshot(shops: [Int]) async throws -> StockSnapshot {
        try await database.read { connection in
            var heads = SyncCursor()
            for origin in try Self.origins(connection) {
                heads = heads.advanced(to: try Self.highestSequence(of: origin, connection), of: origin)
            }
            return StockSnapshot(stock: try Self.stockLines(shops: shops, connection), heads: heads)
        }
    }

    public func load(_ snapshot: StockSnapshot, shops: [Int], own: ServerKey) async throws {
        try await database.write { connection in
            let now = self.clock.nowMillis()
            let shopList = SQLiteValue.json(.array(shops.map { .integer(Int64($0)) }))
            try connection.execute(
                "UPDATE stock SET on_hand = 0, blocked = 0, modified_at = ? WHERE shop_id IN (SELECT value FROM json_each(?))",
                [.integer(now), shopList]
            )
            for level in snapshot.stock where shops.contains(level.shop) {
                try Self.insertProduct(connection, level.product)
                try connection.execute(
                    """
                    INSERT INTO stock (shop_id, product_id, on_hand, blocked, modified_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (shop_id, product_id) DO UPDATE SET on_hand = excluded.on_hand, blocked = excluded.blocked
                    """,
                    [.integer(Int64(level.shop)), .text(level.product), .integer(level.onHand), .integer(level.blocked), .integer(now)]
                )
            }
            // What this store sold since central's copy of its movements ends.
            try connection.execute(
                """
                UPDATE stock SET on_hand = on_hand + own.qty
                FROM (SELECT shop_id, product_id, SUM(qty) AS qty FROM movements WHERE origin = ? AND origin_seq > ? GROUP BY shop_id, product_id) AS own
                WHERE stock.shop_id = own.shop_id AND stock.product_id = own.product_id AND stock.shop_id IN (SELECT value FROM json_each(?))
                """,
                [.text(own.value), .integer(snapshot.heads.position(of: own)), shopList]
            )
            try Self.setSyncState(connection, SyncStateKey.linkCursor.name, snapshot.heads.encoded, at: now)
        }
    }
}
