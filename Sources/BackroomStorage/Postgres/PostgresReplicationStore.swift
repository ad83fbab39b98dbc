import BackroomCore
import Logging
import PostgresNIO

extension PostgresStorage: ReplicationStore {
    typealias MovementRow = (String, Int64, Int64, String, Int64, String, String?, Int64)

    public func ownMovements(origin: ServerKey, after sequence: Int64, limit: Int) async throws -> [ReplicatedMovement] {
        try await client.withConnection { connection in
            try await Self.scan(connection, origin: origin, after: sequence, limit: limit, logger: logger)
        }
    }

    public func movements(forShops shops: [Int]?, except store: ServerKey?, after cursor: SyncCursor, limit: Int) async throws -> SyncPage {
        try await client.withConnection { connection in
            let (heads, _, _) = try await Self.heads(connection, after: cursor, except: store, heldIn: [], at: 0, logger: logger)
            return try await Self.page(connection, shops: shops, after: cursor, heads: heads, limit: limit, logger: logger)
        }
    }

    public func pullRead(forShops shops: [Int], except store: ServerKey, after cursor: SyncCursor, limit: Int, at now: Int64) async throws -> PullRead
    {
        try await client.withConnection { connection in
            let (heads, held, horizons) = try await Self.heads(
                connection,
                after: cursor,
                except: store,
                heldIn: shops.map(Int64.init),
                at: now,
                logger: logger
            )
            return PullRead(
                page: try await Self.page(connection, shops: shops, after: cursor, heads: heads, limit: limit, logger: logger),
                held: held,
                horizons: horizons
            )
        }
    }

    /// What `movements(forShops:…)` answers, the heads read.
    private static func page(
        _ connection: PostgresConnection,
        shops: [Int]?,
        after cursor: SyncCursor,
        heads: [ServerKey: Int64],
        limit: Int,
        logger: Logger
    ) async throws -> SyncPage {
        guard !heads.isEmpty else { return SyncPage(after: cursor, heads: [:], matching: [], limit: limit) }
        let origins = heads.keys.sorted()
        let spans = (
            origins: origins.map(\.value), afters: origins.map { cursor.position(of: $0) }, heads: origins.map { heads[$0] ?? 0 }
        )
        // Every origin in one round trip; the heads were read first, so nothing up to them can
        // still be uncommitted. A store's shops are each read by their own index range
        // (`movements_by_shop`), and only from the origins that have movements of them, so other
        // shops' movements are never looked at; the ERP export, which takes every shop, walks
        // each origin's (origin, sequence) index.
        let rows: CollectedRows
        if let shops {
            rows = try await connection.checkedQuery(
                """
                WITH RECURSIVE \(unescaped: Self.shopOrigins) AS (\(unescaped: Self.shopOriginsScan(shops)))
                SELECT m.origin, m.origin_seq, m.shop_id, m.product_id, m.qty, m.reason, m.reference, m.created_at
                FROM unnest(\(spans.origins)::text[], \(spans.afters)::bigint[], \(spans.heads)::bigint[]) AS c(origin, after, head)
                CROSS JOIN LATERAL (
                    SELECT s.* FROM shop_origins w
                    CROSS JOIN LATERAL (
                        SELECT * FROM movements m WHERE m.shop_id = w.shop AND m.origin = c.origin AND m.origin_seq > c.after AND m.origin_seq <= c.head
                        ORDER BY m.origin_seq LIMIT \(Int64(limit))
                    ) s
                    WHERE w.origin = c.origin
                    ORDER BY s.origin_seq LIMIT \(Int64(limit))
                ) m
                ORDER BY m.origin COLLATE "C", m.origin_seq LIMIT \(Int64(limit))
                """,
                logger: logger
            )
        } else {
            rows = try await connection.checkedQuery(
                """
                SELECT m.origin, m.origin_seq, m.shop_id, m.product_id, m.qty, m.reason, m.reference, m.created_at
                FROM unnest(\(spans.origins)::text[], \(spans.afters)::bigint[], \(spans.heads)::bigint[]) AS c(origin, after, head)
                CROSS JOIN LATERAL (
                    SELECT * FROM movements m WHERE m.origin = c.origin AND m.origin_seq > c.after AND m.origin_seq <= c.head
                    ORDER BY m.origin_seq LIMIT \(Int64(limit))
                ) m
                ORDER BY m.origin COLLATE "C", m.origin_seq LIMIT \(Int64(limit))
                """,
                logger: logger
            )
        }
        let matching = try Self.replicated(try await rows.decode(MovementRow.self).collect())
        return SyncPage(after: cursor, heads: heads, matching: matching, limit: limit)
    }

    public func movements(after from: SyncCursor, through: SyncCursor) async throws -> [ReplicatedMovement] {
        try await client.withConnection { connection in
            var movements: [ReplicatedMovement] = []
            for origin in through.positions.keys.sorted() {
                movements += try Self.replicated(
                    try await connection.checkedQuery(
                        """
                        SELECT origin, origin_seq, shop_id, product_id, qty, reason, reference, created_at FROM movements
                        WHERE origin = \(origin.value) AND origin_seq > \(from.position(of: origin))
                          AND origin_seq <= \(through.position(of: origin)) ORDER BY origin_seq
                        """,
                        logger: logger
                    ).decode(MovementRow.self).collect()
                )
            }
            return movements
        }
    }

    public func movements(ids: [Int64]) async throws -> [ReplicatedMovement] {
        try Self.replicated(
            try await client.query(
                """
                SELECT origin, origin_seq, shop_id, product_id, qty, reason, reference, created_at FROM movements
                WHERE seq = ANY(\(ids)::bigint[]) ORDER BY origin COLLATE "C", origin_seq
                """,
                logger: logger
            ).decode(MovementRow.self).collect()
        )
    }

    public func backlog(forShops shops: [Int], except store: ServerKey, after cursor: SyncCursor) async throws -> MovementBacklog {
        let (origins, positions) = Self.positions(of: cursor)
        // One round trip: each shop's origins, and what waits of each counted from its range of
        // `movements_by_shop` alone: what concerns the store, not the history or other origins.
        let rows = try await client.query(
            """
            WITH RECURSIVE \(unescaped: Self.shopOrigins) AS (\(unescaped: Self.shopOriginsScan(shops)))
            SELECT COALESCE(SUM(waiting.count), 0)::bigint, MIN(waiting.oldest) FROM shop_origins w
            LEFT JOIN unnest(\(origins)::text[], \(positions)::bigint[]) AS c(origin, after) ON c.origin = w.origin
            CROSS JOIN LATERAL (
                SELECT COUNT(*) AS count, MIN(created_at) AS oldest FROM movements m
                WHERE m.shop_id = w.shop AND m.origin = w.origin AND m.origin_seq > COALESCE(c.after, 0)
            ) waiting
            WHERE w.origin <> \(store.value)
            """,
            logger: logger
        ).decode((Int64, Int64?).self).collect()
        return MovementBacklog(count: Int(rows.first?.0 ?? 0), oldestRecordedAt: rows.first?.1)
    }

    /// `shop_origins (shop, origin)`: the origins with movements of each of some shops.
    private static let shopOrigins = "shop_origins (shop, origin)"

    /// The query of `shopOrigins`, skipping through `movements_by_shop` from one origin to the
    /// next: one look per origin a shop has, not one per origin central holds. The shops are
    /// whole numbers, written into the text so that the recursive query needs no parameters.
    private static func shopOriginsScan(_ shops: [Int]) -> String {
        let list = shops.map(String.init).joined(separator: ",")
        return """
            SELECT found.shop, found.origin FROM (
                SELECT w.shop, (SELECT MIN(m.origin) FROM movements m WHERE m.shop_id = w.shop) AS origin FROM unnest('{\(list)}'::bigint[]) AS w(shop)
            ) found WHERE found.origin IS NOT NULL
            UNION ALL
            SELECT next.shop, next.origin FROM shop_origins s CROSS JOIN LATERAL (
                SELECT s.shop, (SELECT MIN(m.origin) FROM movements m WHERE m.shop_id = s.shop AND m.origin > s.origin) AS origin
            ) next WHERE next.origin IS NOT NULL
            """
    }

    /// An origin's movements after `sequence`, in its order, by the (origin, sequence) index.
    private static func scan(
        _ connection: PostgresConnection,
        origin: ServerKey,
        after sequence: Int64,
        limit: Int,
        logger: Logger
    ) async throws -> [ReplicatedMovement] {
        try replicated(
            try await connection.checkedQuery(
                """
                SELECT origin, origin_seq, shop_id, product_id, qty, reason, reference, created_at FROM movements
                WHERE origin = \(origin.value) AND origin_seq > \(sequence) ORDER BY origin_seq LIMIT \(Int64(limit))
                """,
                logger: logger
            ).decode(MovementRow.self).collect()
        )
    }

    /// The last sequence of each origin (this server's own and the replicated ones, but
    /// `except`) that holds movements after `cursor`, and what is reserved at `now` and blocked
    /// in `shops` (none for no shops), and each origin's horizon, in one round trip: an idle
    /// store's pull is a handful.
    private static func heads(
        _ connection: PostgresConnection,
        after cursor: SyncCursor,
        except store: ServerKey?,
        heldIn shops: [Int64],
        at now: Int64,
        logger: Logger
    ) async throws -> ([ServerKey: Int64], HeldQuantities, [ServerKey: Int64]) {
        let (origins, positions) = Self.positions(of: cursor)
        let rows = try await connection.checkedQuery(
            """
            SELECT 'head', o.origin, 0::bigint, h.head FROM (SELECT origin FROM origin_counters UNION SELECT origin FROM replicated_origins) o
            LEFT JOIN unnest(\(origins)::text[], \(positions)::bigint[]) AS c(origin, after) ON c.origin = o.origin
            CROSS JOIN LATERAL (SELECT MAX(m.origin_seq) AS head FROM movements m WHERE m.origin = o.origin) h
            WHERE h.head > COALESCE(c.after, 0) AND o.origin IS DISTINCT FROM \(store?.value)
            UNION ALL
            SELECT 'reserved', product_id, shop_id, SUM(qty)::bigint FROM reserved_buckets
            WHERE shop_id = ANY(\(shops)::bigint[]) AND expires_at > \(now)
            GROUP BY shop_id, product_id HAVING SUM(qty) <> 0
            UNION ALL
            SELECT 'blocked', product_id, shop_id, blocked FROM stock WHERE shop_id = ANY(\(shops)::bigint[]) AND blocked <> 0
            UNION ALL
            SELECT 'horizon', origin, 0::bigint, deleted_through FROM movement_horizons WHERE deleted_through > 0
            """,
            logger: logger
        ).decode((String, String, Int64, Int64).self).collect()
        var heads: [ServerKey: Int64] = [:]
        var held = HeldQuantities(reserved: [:], blocked: [:])
        var horizons: [ServerKey: Int64] = [:]
        for (kind, name, shop, value) in rows {
            switch kind {
            case "head": heads[try readable(try? ServerKey(name), in: "origins")] = value
            case "horizon": horizons[try readable(try? ServerKey(name), in: "movement_horizons")] = value
            case "reserved": held.reserved[ProductKey(shop: Int(shop), product: name)] = value
            default: held.blocked[ProductKey(shop: Int(shop), product: name)] = value
            }
        }
        return (heads, held, horizons)
    }

    /// A cursor as two lists a query can `unnest`: origins, and the position in each.
    private static func positions(of cursor: SyncCursor) -> ([String], [Int64]) {
        let origins = cursor.positions.keys.sorted()
        return (origins.map(\.value), origins.map { cursor.position(of: $0) })
    }

    public func applyReplicated(
        _ movements: [ReplicatedMovement],
        recording state: (key: SyncStateKey, value: String)?,
        figures: CentralFigures?
    ) async throws -> Int {
        let now = clock.nowMillis()
        guard let figures else {
            // One statement is its own transaction: a push is one round trip and one commit.
            return try await client.withConnection { connection in
                try await Self.apply(movements, noting: state, at: now, connection, logger: logger)
            }
        }
        return try await transaction { connection in
            let applied = try await Self.apply(movements, noting: state, at: now, connection, logger: logger)
            try await Self.replace(with: figures, at: now, connection, logger: logger)
            return applied
        }
    }

    /// The movements not held yet, the shops, products and stock lines they need, on hand
    /// changed by exactly those, and `state`, in one statement (foreign keys are checked at its
    /// end). Returns how many movements were new.
    private static func apply(
        _ movements: [ReplicatedMovement],
        noting state: (key: SyncStateKey, value: String)?,
        at now: Int64,
        _ connection: PostgresConnection,
        logger: Logger
    ) async throws -> Int {
        let origins = movements.map(\.origin.value)
        let sequences = movements.map(\.sequence)
        let shops = movements.map { Int64($0.shop) }
        let products = movements.map(\.product)
        let quantities = movements.map(\.qty)
        let reasons = movements.map(\.reason.rawValue)
        let references = movements.map { $0.reference ?? "" }
        let created = movements.map(\.createdAt)
        let names = state.map { [$0.key.name] } ?? []
        let values = state.map { [$0.value] } ?? []
        let rows = try await connection.checkedQuery(
            """
            WITH given AS (
                SELECT * FROM unnest(\(origins)::text[], \(sequences)::bigint[], \(shops)::bigint[], \(products)::text[],
                    \(quantities)::bigint[], \(reasons)::text[], \(references)::text[], \(created)::bigint[])
                    AS i (origin, origin_seq, shop_id, product_id, qty, reason, reference, created_at)
            ), horizons AS (
                -- Shared: a retention run deleting these origins' movements waits, or is waited for.
                SELECT origin, deleted_through FROM movement_horizons WHERE origin IN (SELECT origin FROM given) FOR SHARE
            ), input AS (
                -- What retention deleted was applied once already: never again.
                SELECT given.* FROM given LEFT JOIN horizons ON horizons.origin = given.origin
                WHERE given.origin_seq > COALESCE(horizons.deleted_through, 0)
            ), new_origins AS (
                INSERT INTO replicated_origins (origin) SELECT DISTINCT origin FROM input ON CONFLICT DO NOTHING
            ), new_shops AS (
                INSERT INTO shops (id, name) SELECT DISTINCT shop_id, '' FROM input ON CONFLICT (id) DO NOTHING
            ), new_products AS (
                INSERT INTO products (id) SELECT DISTINCT product_id FROM input ON CONFLICT (id) DO NOTHING
            ), inserted AS (
                INSERT INTO movements (origin, origin_seq, shop_id, product_id, qty, reason, reference, created_at)
                SELECT * FROM input ON CONFLICT (origin, origin_seq) DO NOTHING
                RETURNING shop_id, product_id, qty
            ), stocked AS (
                INSERT INTO stock (shop_id, product_id, on_hand, blocked, modified_at)
                SELECT shop_id, product_id, SUM(qty), 0, \(now) FROM inserted GROUP BY shop_id, product_id
                ON CONFLICT (shop_id, product_id) DO UPDATE SET on_hand = stock.on_hand + excluded.on_hand, modified_at = excluded.modified_at
            ), noted AS (
                INSERT INTO sync_state (name, value, updated_at) SELECT name, value, \(now) FROM unnest(\(names)::text[], \(values)::text[]) AS n (name, value)
                ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
                WHERE sync_state.value IS DISTINCT FROM excluded.value
            )
            SELECT COUNT(*) FROM inserted
            """,
            logger: logger
        ).decode(Int64.self).collect()
        return Int(rows.first ?? 0)
    }

    public func recoverOwnMovements(of origin: ServerKey, following plan: OriginRecovery) async throws {
        let now = clock.nowMillis()
        try await transaction { connection in
            // The counter first: its row's lock holds back a sale being numbered meanwhile.
            let shift = plan.renumberFrom == nil ? 0 : plan.shift
            try await connection.checkedQuery(
                """
                INSERT INTO origin_counters (origin, last_seq) VALUES (\(origin.value), \(plan.pushed))
                ON CONFLICT (origin) DO UPDATE SET last_seq = GREATEST(origin_counters.last_seq + \(shift), excluded.last_seq)
                """,
                logger: logger
            )
            if let from = plan.renumberFrom {
                // Through negative numbers: the unique index is checked row by row as they move.
                try await connection.checkedQuery(
                    "UPDATE movements SET origin_seq = -origin_seq WHERE origin = \(origin.value) AND origin_seq >= \(from)",
                    logger: logger
                )
                try await connection.checkedQuery(
                    "UPDATE movements SET origin_seq = \(plan.shift) - origin_seq WHERE origin = \(origin.value) AND origin_seq < 0",
                    logger: logger
                )
            }
            _ = try await Self.apply(plan.missing, noting: (.linkPushed, String(plan.pushed)), at: now, connection, logger: logger)
        }
    }

    public func recordRestore(id: String) async throws -> RestoreMark {
        let now = clock.nowMillis()
        return try await transaction { connection in
            // Locked, so that no movement is numbered between the heads read and the mark kept.
            try await connection.checkedQuery("LOCK TABLE origin_counters IN SHARE MODE", logger: logger)
            var heads: [ServerKey: Int64] = [:]
            let rows = try await connection.checkedQuery("SELECT origin, last_seq FROM origin_counters", logger: logger)
            for (origin, head) in try await rows.decode((String, Int64).self).collect() {
                heads[try readable(try? ServerKey(origin), in: "origin_counters")] = head
            }
            let mark = RestoreMark(id: id, heads: heads)
            let kept = try await Self.syncState(connection, SyncStateKey.restores.name, logger: logger)
            let marks = RestoreMark.parseList(stored: kept) + [mark]
            let text = String(decoding: JSONWriter.bytes(of: .array(marks.map(\.json))), as: UTF8.self)
            try await Self.setSyncStates(connection, [SyncStateKey.restores.name], [text], at: now, logger: logger)
            return mark
        }
    }

    public func forget(beyond mark: RestoreMark, except own: ServerKey) async throws {
        let now = clock.nowMillis()
        try await transaction { connection in
            for (origin, head) in mark.heads(forgottenBy: own) {
                try await connection.checkedQuery(
                    """
                    WITH forgotten AS (
                        DELETE FROM movements WHERE origin = \(origin.value) AND origin_seq > \(head) RETURNING shop_id, product_id, qty
                    )
                    UPDATE stock SET on_hand = stock.on_hand - f.total, modified_at = \(now)
                    FROM (SELECT shop_id, product_id, SUM(qty) AS total FROM forgotten GROUP BY shop_id, product_id) f
                    WHERE stock.shop_id = f.shop_id AND stock.product_id = f.product_id
                    """,
                    logger: logger
                )
            }
            let stored = try await Self.syncState(connection, SyncStateKey.linkCursor.name, logger: logger)
            let cursor = SyncCursor(encoded: stored ?? "") ?? SyncCursor()
            try await Self.setSyncStates(
                connection,
                [SyncStateKey.linkCursor.name, SyncStateKey.linkRestored.name],
                [mark.rewound(cursor, for: own).encoded, mark.id],
                at: now,
                logger: logger
            )
        }
    }

    /// What a store knew of central's figures, replaced: reserved wholesale, blocked where it differs.
    private static func replace(with figures: CentralFigures, at now: Int64, _ connection: PostgresConnection, logger: Logger) async throws {
        let reserved = Array(figures.reserved)
        let blocked = Array(figures.blocked)
        let shops = figures.shops.map(Int64.init)
        try await connection.checkedQuery("DELETE FROM central_reserved", logger: logger)
        try await connection.checkedQuery(
            """
            INSERT INTO central_reserved (shop_id, product_id, qty)
            SELECT * FROM unnest(\(reserved.map { Int64($0.key.shop) })::bigint[], \(reserved.map(\.key.product))::text[],
                \(reserved.map(\.value))::bigint[])
            """,
            logger: logger
        )
        try await connection.checkedQuery(
            """
            UPDATE stock SET blocked = COALESCE(b.qty, 0), modified_at = \(now)
            FROM stock s LEFT JOIN unnest(\(blocked.map { Int64($0.key.shop) })::bigint[], \(blocked.map(\.key.product))::text[],
                \(blocked.map(\.value))::bigint[]) AS b (shop_id, product_id, qty)
                ON b.shop_id = s.shop_id AND b.product_id = s.product_id
            WHERE stock.shop_id = s.shop_id AND stock.product_id = s.product_id
                AND s.shop_id = ANY(\(shops)::bigint[]) AND s.blocked <> COALESCE(b.qty, 0)
            """,
            logger: logger
        )
    }

    public func centralReserved(shop: Int, products: [String]) async throws -> [String: Int64] {
        let rows = try await client.query(
            "SELECT product_id, qty FROM central_reserved WHERE shop_id = \(Int64(shop)) AND product_id = ANY(\(products)::text[])",
            logger: logger
        ).decode((String, Int64).self).collect()
        return Dictionary(rows, uniquingKeysWith: +)
    }

    public func highestSequence(of origin: ServerKey) async throws -> Int64 {
        try await client.query(
            """
            SELECT GREATEST(
                (SELECT COALESCE(MAX(origin_seq), 0) FROM movements WHERE origin = \(origin.value)),
                (SELECT COALESCE(MAX(deleted_through), 0) FROM movement_horizons WHERE origin = \(origin.value))
            )::bigint
            """,
            logger: logger
        ).decode(Int64.self).collect().first ?? 0
    }

    static func replicated(_ rows: [MovementRow]) throws -> [ReplicatedMovement] {
        try rows.map { originText, sequence, shop, product, qty, reasonText, reference, createdAt in
            let origin = try readable(try? ServerKey(originText), in: "movements")
            let reason = try readable(MovementReason(rawValue: reasonText), in: "movements")
            return ReplicatedMovement(
                origin: origin,
                sequence: sequence,
                shop: Int(shop),
                product: product,
                qty: qty,
                reason: reason,
                reference: reference,
                createdAt: createdAt
            )
        }
    }
}
