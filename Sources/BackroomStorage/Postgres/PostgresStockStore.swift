import BackroomCore
import Logging
import NIOSSL
import PostgresNIO

extension PostgresStorage: StockStore {
    public func movementHistory(shop: Int, product: String?, before: Int64?, limit: Int) async throws -> [ListedMovement] {
        let rows = try await client.query(
            """
            SELECT origin, origin_seq, shop_id, product_id, qty, reason, reference, created_at, seq FROM movements
            WHERE shop_id = \(Int64(shop)) AND (\(product)::text IS NULL OR product_id = \(product)) AND seq < \(before ?? Int64.max)
            ORDER BY seq DESC LIMIT \(Int64(limit))
            """,
            logger: logger
        ).decode((String, Int64, Int64, String, Int64, String, String?, Int64, Int64).self).collect()
        let movements = try Self.replicated(rows.map { ($0.0, $0.1, $0.2, $0.3, $0.4, $0.5, $0.6, $0.7) })
        return zip(rows, movements).map { ListedMovement(id: $0.8, movement: $1) }
    }

    public func stockLines(shops: [Int]) async throws -> [StockLevel] {
        try await client.withConnection { connection in try await Self.stockLines(shops: shops, connection, logger: logger) }
    }

    static func stockLines(shops: [Int], _ connection: PostgresConnection, logger: Logger) async throws -> [StockLevel] {
        try await connection.checkedQuery(
            """
            SELECT shop_id, product_id, on_hand, blocked FROM stock WHERE shop_id = ANY(\(shops.map(Int64.init))::bigint[])
            ORDER BY shop_id, product_id COLLATE "C"
            """,
            logger: logger
        ).decode((Int64, String, Int64, Int64).self).collect().map {
            StockLevel(shop: Int($0.0), product: $0.1, onHand: $0.2, blocked: $0.3)
        }
    }

    // MARK: shops, products, stock

    public func addMissingShops(_ shops: [Shop]) async throws {
        let ids = shops.map { Int64($0.id) }
        let names = shops.map(\.name)
        try await client.query(
            "INSERT INTO shops (id, name) SELECT * FROM unnest(\(ids)::bigint[], \(names)::text[]) ON CONFLICT (id) DO NOTHING",
            logger: logger
        )
    }

    public func shops(_ ids: [Int]) async throws -> [Shop] {
        let wanted = ids.map(Int64.init)
        return try await client.query("SELECT id, name FROM shops WHERE id = ANY(\(wanted)::bigint[]) ORDER BY id", logger: logger)
            .decode((Int64, String).self).collect().map { Shop(id: Int($0.0), name: $0.1) }
    }

    public func addMissingStock(_ levels: [StockLevel], origin: ServerKey) async throws -> Int {
        try await transaction { connection in
            try await Self.requireShops(Set(levels.map(\.shop)), connection, logger: logger)
            let products = levels.map(\.product)
            try await connection.checkedQuery(
                "INSERT INTO products (id) SELECT unnest(\(products)::text[]) ON CONFLICT (id) DO NOTHING",
                logger: logger
            )
            let shops = levels.map { Int64($0.shop) }
            let blocked = levels.map(\.blocked)
            let inserted = try await connection.checkedQuery(
                """
                INSERT INTO stock (shop_id, product_id, on_hand, blocked, modified_at)
                SELECT shop_id, product_id, 0, blocked, \(clock.nowMillis()) FROM unnest(\(shops)::bigint[], \(products)::text[], \(blocked)::bigint[])
                    AS input (shop_id, product_id, blocked)
                ON CONFLICT DO NOTHING RETURNING shop_id, product_id
                """,
                logger: logger
            ).decode((Int64, String).self).collect()
            var new = Set(inserted.map { ProductKey(shop: Int($0.0), product: $0.1) })
            // A new line holds nothing until its count is recorded; a line listed twice counts once.
            let counts = levels.compactMap { level -> (key: ProductKey, counted: Int64)? in
                let key = ProductKey(shop: level.shop, product: level.product)
                return new.remove(key) == nil ? nil : (key, level.onHand)
            }
            try await Self.appendMovements(
                StockCorrection.plan(counts: counts, onHand: [:]).map { ($0.key, $0.qty, $0.reason, nil) },
                origin: origin,
                at: clock.nowMillis(),
                connection,
                logger: logger
            )
            return counts.count
        }
    }

    public func setStock(shop: Int, _ settings: [StockSetting], origin: ServerKey, at now: Int64) async throws {
        try await transaction { connection in
            try await Self.requireShops([shop], connection, logger: logger)
            let products = settings.map(\.product)
            try await connection.checkedQuery(
                "INSERT INTO products (id) SELECT unnest(\(products)::text[]) ON CONFLICT (id) DO NOTHING",
                logger: logger
            )
            var onHand: [ProductKey: Int64] = [:]
            for setting in settings {
                let current =
                    try await connection.checkedQuery(
                        """
                        INSERT INTO stock (shop_id, product_id, on_hand, blocked, modified_at)
                        VALUES (\(Int64(shop)), \(setting.product), 0, COALESCE(\(setting.blocked)::bigint, 0), \(now))
                        ON CONFLICT (shop_id, product_id) DO UPDATE SET blocked = COALESCE(\(setting.blocked)::bigint, stock.blocked),
                            modified_at = CASE WHEN COALESCE(\(setting.blocked)::bigint, stock.blocked) <> stock.blocked THEN \(now) ELSE stock.modified_at END
                        RETURNING on_hand
                        """,
                        logger: logger
                    ).decode(Int64.self).collect().first ?? 0
                // A product set twice is counted against what it held before the request.
                onHand[ProductKey(shop: shop, product: setting.product)] = onHand[ProductKey(shop: shop, product: setting.product)] ?? current
            }
            let counts = settings.map { (ProductKey(shop: shop, product: $0.product), $0.onHand) }
            try await Self.appendMovements(
                StockCorrection.plan(counts: counts, onHand: onHand).map { ($0.key, $0.qty, $0.reason, nil) },
                origin: origin,
                at: now,
                connection,
                logger: logger
            )
        }
    }

    public func recordMovements(
        shop: Int,
        _ requests: [MovementRequest],
        idempotency: IdempotentRequest?,
        origin: ServerKey,
        at now: Int64
    ) async throws -> MovementOutcome {
        try await transaction { connection in
            try await Self.requireShops([shop], connection, logger: logger)
            if let idempotency,
                let earlier = try await Self.storedAnswers([idempotency.claim], scope: .movements, at: now, connection, logger: logger)
                    .values.first
            {
                guard let replayed = idempotency.replay((earlier.request, earlier)) else { return .idempotencyKeyReused }
                return .recorded(try replayed.decoded(as: [RecordedMovement].self))
            }
            // Locked in the order reservation batches lock them, so that a count reads the on hand
            // it corrects and nothing changes it before the commit.
            let products = Array(Set(requests.map(\.product)))
            let rows = try await connection.checkedQuery(
                """
                SELECT product_id, on_hand FROM stock WHERE shop_id = \(Int64(shop)) AND product_id = ANY(\(products)::text[])
                ORDER BY product_id COLLATE "C" FOR UPDATE
                """,
                logger: logger
            ).decode((String, Int64).self).collect()
            switch MovementPlanner.plan(requests, onHand: Dictionary(uniqueKeysWithValues: rows)) {
            case .failure(let unknown):
                return .unknownProducts(unknown.products)
            case .success(let changes):
                let sequences = try await Self.appendMovements(
                    changes.map { (ProductKey(shop: shop, product: $0.product), $0.qty, $0.reason, $0.reference) },
                    origin: origin,
                    at: now,
                    connection,
                    logger: logger
                )
                let recorded = zip(sequences, changes).map { sequence, change in
                    RecordedMovement(
                        origin: origin.value,
                        sequence: sequence,
                        product: change.product,
                        qty: change.qty,
                        reason: change.reason.rawValue
                    )
                }
                if let idempotency {
                    try await Self.storeAnswers(
                        [(idempotency, try IdempotencyKeys.encode(recorded))],
                        scope: .movements,
                        at: now,
                        connection,
                        logger: logger
                    )
                }
                return .recorded(recorded)
            }
        }
    }

    public func stockLevel(shop: Int, product: String) async throws -> StockLevel? {
        let rows = try await client.query(
            "SELECT on_hand, blocked FROM stock WHERE shop_id = \(Int64(shop)) AND product_id = \(product)",
            logger: logger
        )
        for try await (onHand, blocked) in rows.decode((Int64, Int64).self) {
            return StockLevel(shop: shop, product: product, onHand: onHand, blocked: blocked)
        }
        return nil
    }

    public func movementTotal(shop: Int, product: String) async throws -> Int64 {
        let rows = try await client.query(
            "SELECT COALESCE(SUM(qty), 0)::bigint FROM movements WHERE shop_id = \(Int64(shop)) AND product_id = \(product)",
            logger: logger
        )
        return try await rows.decode(Int64.self).collect().first ?? 0
    }

    public func shopExists(_ shop: Int) async throws -> Bool {
        let rows = try await client.query("SELECT 1 FROM shops WHERE id = \(Int64(shop))", logger: logger)
        return try await !rows.decode(Int.self).collect().isEmpty
    }

    public func productStock(shop: Int, products: [String], at now: Int64) async throws -> [String: ProductStock] {
        try await client.withConnection { connection in
            let stock = try await Self.productStock(
                Set(products).map { ProductKey(shop: shop, product: $0) },
                at: now,
                lock: false,
                connection,
                logger: logger
            )
            return Dictionary(uniqueKeysWithValues: stock.map { ($0.key.product, $0.value) })
        }
    }
}
