import BackroomCore

extension SQLiteStorage: StockStore {
    public func movementHistory(shop: Int, product: String?, before: Int64?, limit: Int) async throws -> [ListedMovement] {
        try await database.read { connection in
            let rows = try connection.query(
                """
                SELECT origin, origin_seq, shop_id, product_id, qty, reason, reference, created_at, seq FROM movements
                WHERE shop_id = ? AND (? IS NULL OR product_id = ?) AND seq < ? ORDER BY seq DESC LIMIT ?
                """,
                [
                    .integer(Int64(shop)), product.map(SQLiteValue.text) ?? .null, product.map(SQLiteValue.text) ?? .null,
                    .integer(before ?? Int64.max),
                    .integer(Int64(limit)),
                ]
            )
            return try zip(rows, Self.replicated(rows)).map { row, movement in
                ListedMovement(id: try readable(row.integer(8), in: "movements"), movement: movement)
            }
        }
    }

    public func stockLines(shops: [Int]) async throws -> [StockLevel] {
        try await database.read { connection in try Self.stockLines(shops: shops, connection) }
    }

    static func stockLines(shops: [Int], _ connection: SQLiteConnection) throws -> [StockLevel] {
        try connection.query(
            """
            SELECT shop_id, product_id, on_hand, blocked FROM stock
            WHERE shop_id IN (SELECT value FROM json_each(?)) ORDER BY shop_id, product_id
            """,
            [.json(.array(shops.map { .integer(Int64($0)) }))]
        ).map { row in
            StockLevel(
                shop: Int(try readable(row.integer(0), in: "stock")),
                product: try readable(row.text(1), in: "stock"),
                onHand: try readable(row.integer(2), in: "stock"),
                blocked: try readable(row.integer(3), in: "stock")
            )
        }
    }

    // MARK: shops, products, stock

    public func addMissingShops(_ shops: [Shop]) async throws {
        try await database.write { connection in
            for shop in shops {
                try connection.execute(
                    "INSERT INTO shops (id, name) VALUES (?, ?) ON CONFLICT (id) DO NOTHING",
                    [.integer(Int64(shop.id)), .text(shop.name)]
                )
            }
        }
    }

    public func shops(_ ids: [Int]) async throws -> [Shop] {
        try await database.read { connection in
            try connection.query(
                "SELECT id, name FROM shops WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id",
                [.json(.array(ids.map { .integer(Int64($0)) }))]
            ).map { row in Shop(id: Int(try readable(row.integer(0), in: "shops")), name: try readable(row.text(1), in: "shops")) }
        }
    }

    public func addMissingStock(_ levels: [StockLevel], origin: ServerKey) async throws -> Int {
        try await database.write { connection in
            let now = self.clock.nowMillis()
            for shop in Set(levels.map(\.shop)).sorted() where try !Self.shopExists(connection, shop) {
                throw StorageError.unknownShop(shop)
            }
            var added: [(key: ProductKey, counted: Int64)] = []
            for level in levels {
                try Self.insertProduct(connection, level.product)
                let inserted = try connection.execute(
                    "INSERT INTO stock (shop_id, product_id, on_hand, blocked, modified_at) VALUES (?, ?, 0, ?, ?) ON CONFLICT DO NOTHING",
                    [.integer(Int64(level.shop)), .text(level.product), .integer(level.blocked), .integer(now)]
                )
                if inserted == 1 { added.append((ProductKey(shop: level.shop, product: level.product), level.onHand)) }
            }
            // A new line holds nothing until its count is recorded.
            for change in StockCorrection.plan(counts: added, onHand: [:]) {
                try Self.appendMovement(connection, change.key, qty: change.qty, reason: change.reason, reference: nil, origin: origin, at: now)
            }
            return added.count
        }
    }

    public func setStock(shop: Int, _ settings: [StockSetting], origin: ServerKey, at now: Int64) async throws {
        try await database.write { connection in
            guard try Self.shopExists(connection, shop) else { throw StorageError.unknownShop(shop) }
            for setting in settings {
                try Self.insertProduct(connection, setting.product)
                try connection.execute(
                    """
                    INSERT INTO stock (shop_id, product_id, on_hand, blocked, modified_at) VALUES (?1, ?2, 0, COALESCE(?3, 0), ?4)
                    ON CONFLICT (shop_id, product_id) DO UPDATE SET blocked = COALESCE(?3, stock.blocked),
                        modified_at = CASE WHEN COALESCE(?3, stock.blocked) <> stock.blocked THEN ?4 ELSE stock.modified_at END
                    """,
                    [.integer(Int64(shop)), .text(setting.product), setting.blocked.map(SQLiteValue.integer) ?? .null, .integer(now)]
                )
            }
            let counts = settings.map { (key: ProductKey(shop: shop, product: $0.product), counted: $0.onHand) }
            for change in StockCorrection.plan(counts: counts, onHand: try Self.onHand(connection, counts.map(\.key))) {
                try Self.appendMovement(connection, change.key, qty: change.qty, reason: change.reason, reference: nil, origin: origin, at: now)
            }
        }
    }

    public func recordMovements(
        shop: Int,
        _ requests: [MovementRequest],
        idempotency: IdempotentRequest?,
        origin: ServerKey,
        at now: Int64
    ) async throws -> MovementOutcome {
        try await database.write { connection in
            guard try Self.shopExists(connection, shop) else { throw StorageError.unknownShop(shop) }
            if let idempotency, let earlier = try Self.storedAnswer(connection, idempotency.claim, scope: .movements, at: now) {
                guard let replayed = idempotency.replay((earlier.request, earlier)) else { return .idempotencyKeyReused }
                return .recorded(try replayed.decoded(as: [RecordedMovement].self))
            }
            // On hand alone: what is reserved has no say in a movement.
            let rows = try connection.query(
                "SELECT product_id, on_hand FROM stock WHERE shop_id = ? AND product_id IN (SELECT value FROM json_each(?))",
                [.integer(Int64(shop)), .json(.array(Set(requests.map(\.product)).map(JSONValue.string)))]
            )
            let onHand = Dictionary(
                uniqueKeysWithValues: try rows.map { row in (try readable(row.text(0), in: "stock"), try readable(row.integer(1), in: "stock")) }
            )
            switch MovementPlanner.plan(requests, onHand: onHand) {
            case .failure(let unknown):
                return .unknownProducts(unknown.products)
            case .success(let changes):
                let recorded = try changes.map { change in
                    let sequence = try Self.appendMovement(
                        connection,
                        ProductKey(shop: shop, product: change.product),
                        qty: change.qty,
                        reason: change.reason,
                        reference: change.reference,
                        origin: origin,
                        at: now
                    )
                    return RecordedMovement(
                        origin: origin.value,
                        sequence: sequence,
                        product: change.product,
                        qty: change.qty,
                        reason: change.reason.rawValue
                    )
                }
                if let idempotency { try Self.storeAnswer(connection, idempotency, scope: .movements, answer: recorded, at: now) }
                return .recorded(recorded)
            }
        }
    }

    public func stockLevel(shop: Int, product: String) async throws -> StockLevel? {
        try await database.read { connection in
            let rows = try connection.query(
                "SELECT on_hand, blocked FROM stock WHERE shop_id = ? AND product_id = ?",
                [.integer(Int64(shop)), .text(product)]
            )
            guard let row = rows.first else { return nil }
            let (onHand, blocked) = (try readable(row.integer(0), in: "stock"), try readable(row.integer(1), in: "stock"))
            return StockLevel(shop: shop, product: product, onHand: onHand, blocked: blocked)
        }
    }

    public func movementTotal(shop: Int, product: String) async throws -> Int64 {
        try await database.read { connection in
            try connection.query(
                "SELECT COALESCE(SUM(qty), 0) FROM movements WHERE shop_id = ? AND product_id = ?",
                [.integer(Int64(shop)), .text(product)]
            ).first?.integer(0) ?? 0
        }
    }

    public func shopExists(_ shop: Int) async throws -> Bool {
        try await database.read { connection in try Self.shopExists(connection, shop) }
    }

    public func productStock(shop: Int, products: [String], at now: Int64) async throws -> [String: ProductStock] {
        try await database.readOnWriter { [reservedLedger] connection in
            let keys = Set(products).map { ProductKey(shop: shop, product: $0) }
            let stock = try Self.productStock(connection, keys, at: now, reservedLedger)
            return Dictionary(uniqueKeysWithValues: stock.map { ($0.key.product, $0.value) })
        }
    }
}
