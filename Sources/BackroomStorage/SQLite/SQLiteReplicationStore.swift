import BackroomCore

extension SQLiteStorage: ReplicationStore {
    public func ownMovements(origin: ServerKey, after sequence: Int64, limit: Int) async throws -> [ReplicatedMovement] {
        try await database.read { connection in try Self.scan(connection, origin: origin, after: sequence, limit: limit) }
    }

    public func movements(forShops shops: [Int]?, except store: ServerKey?, after cursor: SyncCursor, limit: Int) async throws -> SyncPage {
        try await database.read { connection in
            var heads: [ServerKey: Int64] = [:]
            var matching: [ReplicatedMovement] = []
            let origins = try shops.map { try Self.origins(ofShops: $0, connection) } ?? [:]
            for origin in try Self.origins(connection) where origin != store {
                let after = cursor.position(of: origin)
                let head =
                    try connection.query("SELECT COALESCE(MAX(origin_seq), 0) FROM movements WHERE origin = ?", [.text(origin.value)])
                    .first?.integer(0) ?? 0
                guard head > after else { continue }
                heads[origin] = head
                guard matching.count < limit else { continue }
                let span = (origin: origin, after: after, head: head, limit: limit - matching.count)
                if let shops {
                    let selling = shops.filter { origins[$0]?.contains(origin) == true }
                    if !selling.isEmpty { matching += try Self.read(span, ofShops: selling, connection) }
                } else {
                    matching += try Self.read(span, connection)
                }
            }
            return SyncPage(after: cursor, heads: heads, matching: matching, limit: limit)
        }
    }

    /// The origins with movements of each shop, found by skipping through `movements_by_shop`
    /// (one look per origin there is, not one per origin this server holds).
    private static func origins(ofShops shops: [Int], _ connection: SQLiteConnection) throws -> [Int: Set<ServerKey>] {
        var origins: [Int: Set<ServerKey>] = [:]
        for shop in shops {
            var found: Set<ServerKey> = []
            var after = ""
            while let next = try connection.query(
                "SELECT MIN(origin) FROM movements INDEXED BY movements_by_shop WHERE shop_id = ? AND origin > ?",
                [.integer(Int64(shop)), .text(after)]
            ).first?.text(0) {
                found.insert(try readable(try? ServerKey(next), in: "movements"))
                after = next
            }
            origins[shop] = found
        }
        return origins
    }

    private typealias OriginSpan = (origin: ServerKey, after: Int64, head: Int64, limit: Int)

    /// The first of an origin's movements in `span`, whatever their shop (the ERP export).
    private static func read(_ span: OriginSpan, _ connection: SQLiteConnection) throws -> [ReplicatedMovement] {
        try replicated(
            connection.query(
                """
                SELECT origin, origin_seq, shop_id, product_id, qty, reason, reference, created_at FROM movements
                WHERE origin = ? AND origin_seq > ? AND origin_seq <= ? ORDER BY origin_seq LIMIT ?
                """,
                [.text(span.origin.value), .integer(span.after), .integer(span.head), .integer(Int64(span.limit))]
            )
        )
    }

    /// The first of an origin's movements in `span` of `shops`: each shop's read by its own
    /// index range (`movements_by_shop`), so that other shops' movements are never looked at.
    private static func read(_ span: OriginSpan, ofShops shops: [Int], _ connection: SQLiteConnection) throws -> [ReplicatedMovement] {
        let each = try shops.flatMap { shop in
            try replicated(
                connection.query(
                    """
                    SELECT origin, origin_seq, shop_id, product_id, qty, reason, reference, created_at FROM movements INDEXED BY movements_by_shop
                    WHERE shop_id = ? AND origin = ? AND origin_seq > ? AND origin_seq <= ? ORDER BY origin_seq LIMIT ?
                    """,
                    [.integer(Int64(shop)), .text(span.origin.value), .integer(span.after), .integer(span.head), .integer(Int64(span.limit))]
                )
            )
        }
        return Array(each.sorted { $0.sequence < $1.sequence }.prefix(span.limit))
    }

    public func movements(after from: SyncCursor, through: SyncCursor) async throws -> [ReplicatedMovement] {
        try await database.read { connection in
            try through.positions.keys.sorted().flatMap { origin in
                try Self.replicated(
                    connection.query(
                        """
                        SELECT origin, origin_seq, shop_id, product_id, qty, reason, reference, created_at FROM movements
                        WHERE origin = ? AND origin_seq > ? AND origin_seq <= ? ORDER BY origin_seq
                        """,
                        [.text(origin.value), .integer(from.position(of: origin)), .integer(through.position(of: origin))]
                    )
                )
            }
        }
    }

    public func movements(ids: [Int64]) async throws -> [ReplicatedMovement] {
        try await database.read { connection in
            try Self.replicated(
                connection.query(
                    """
                    SELECT origin, origin_seq, shop_id, product_id, qty, reason, reference, created_at FROM movements
                    WHERE seq IN (SELECT value FROM json_each(?)) ORDER BY origin, origin_seq
                    """,
                    [.json(.array(ids.map(JSONValue.integer)))]
                )
            )
        }
    }

    public func backlog(forShops shops: [Int], except store: ServerKey, after cursor: SyncCursor) async throws -> MovementBacklog {
        try await database.read { connection in
            var count: Int64 = 0
            var oldest: Int64?
            for (shop, origins) in try Self.origins(ofShops: shops, connection) {
                for origin in origins where origin != store {
                    // From the index alone: what concerns the store, not the history.
                    let row = try connection.query(
                        """
                        SELECT COUNT(*), MIN(created_at) FROM movements INDEXED BY movements_by_shop
                        WHERE shop_id = ? AND origin = ? AND origin_seq > ?
                        """,
                        [.integer(Int64(shop)), .text(origin.value), .integer(cursor.position(of: origin))]
                    ).first
                    count += row?.integer(0) ?? 0
                    if let recorded = row?.integer(1) { oldest = min(oldest ?? recorded, recorded) }
                }
            }
            return MovementBacklog(count: Int(count), oldestRecordedAt: oldest)
        }
    }

    /// An origin's movements after `sequence`, in its order, by the (origin, sequence) index.
    private static func scan(_ connection: SQLiteConnection, origin: ServerKey, after sequence: Int64, limit: Int) throws -> [ReplicatedMovement] {
        try replicated(
            connection.query(
                """
                SELECT origin, origin_seq, shop_id, product_id, qty, reason, reference, created_at FROM movements
                WHERE origin = ? AND origin_seq > ? ORDER BY origin_seq LIMIT ?
                """,
                [.text(origin.value), .integer(sequence), .integer(Int64(limit))]
            )
        )
    }

    /// Every origin this server holds movements of: its own and the replicated ones.
    static func origins(_ connection: SQLiteConnection) throws -> [ServerKey] {
        try connection.query("SELECT origin FROM origin_counters UNION SELECT origin FROM replicated_origins ORDER BY 1")
            .map { try readable($0.text(0).flatMap { try? ServerKey($0) }, in: "origins") }
    }

    public func applyReplicated(
        _ movements: [ReplicatedMovement],
        recording state: (key: SyncStateKey, value: String)?,
        figures: CentralFigures?
    ) async throws -> Int {
        try await database.write { connection in
            let now = self.clock.nowMillis()
            let applied = try Self.insert(movements, at: now, connection)
            if let state { try Self.setSyncState(connection, state.key.name, state.value, at: now) }
            if let figures { try Self.replace(with: figures, at: now, connection) }
            return applied
        }
    }

    /// Inserts the movements not held yet (by origin and sequence) with the shops, products and
    /// stock lines they need, and applies exactly those to on hand; how many were new.
    private static func insert(_ movements: [ReplicatedMovement], at now: Int64, _ connection: SQLiteConnection) throws -> Int {
        var applied = 0
        var horizons: [ServerKey: Int64] = [:]
        for origin in Set(movements.map(\.origin)) {
            try connection.execute("INSERT INTO replicated_origins (origin) VALUES (?) ON CONFLICT DO NOTHING", [.text(origin.value)])
            horizons[origin] =
                try connection.query("SELECT deleted_through FROM movement_horizons WHERE origin = ?", [.text(origin.value)]).first?.integer(0) ?? 0
        }
        // What retention deleted was applied once already: never again.
        for movement in movements where movement.sequence > horizons[movement.origin] ?? 0 {
            // A shop central added after the store's first contact arrives with its movements.
            try connection.execute(
                "INSERT INTO shops (id, name) VALUES (?, '') ON CONFLICT (id) DO NOTHING",
                [.integer(Int64(movement.shop))]
            )
            try connection.execute("INSERT INTO products (id) VALUES (?) ON CONFLICT (id) DO NOTHING", [.text(movement.product)])
            try connection.execute(
                "INSERT INTO stock (shop_id, product_id, on_hand, blocked, modified_at) VALUES (?, ?, 0, 0, ?) ON CONFLICT DO NOTHING",
                [.integer(Int64(movement.shop)), .text(movement.product), .integer(now)]
            )
            let inserted = try connection.execute(
                """
                INSERT INTO movements (origin, origin_seq, shop_id, product_id, qty, reason, reference, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (origin, origin_seq) DO NOTHING
                """,
                [
                    .text(movement.origin.value), .integer(movement.sequence), .integer(Int64(movement.shop)), .text(movement.product),
                    .integer(movement.qty), .text(movement.reason.rawValue), movement.reference.map(SQLiteValue.text) ?? .null,
                    .integer(movement.createdAt),
                ]
            )
            guard inserted == 1 else { continue }
            applied += 1
            try connection.execute(
                "UPDATE stock SET on_hand = on_hand + ?, modified_at = ? WHERE shop_id = ? AND product_id = ?",
                [.integer(movement.qty), .integer(now), .integer(Int64(movement.shop)), .text(movement.product)]
            )
        }
        return applied
    }

    public func recoverOwnMovements(of origin: ServerKey, following plan: OriginRecovery) async throws {
        try await database.write { connection in
            let now = self.clock.nowMillis()
            if let from = plan.renumberFrom {
                // Through negative numbers: the unique index is checked row by row as they move.
                try connection.execute(
                    "UPDATE movements SET origin_seq = -origin_seq WHERE origin = ? AND origin_seq >= ?",
                    [.text(origin.value), .integer(from)]
                )
                try connection.execute(
                    "UPDATE movements SET origin_seq = ? - origin_seq WHERE origin = ? AND origin_seq < 0",
                    [.integer(plan.shift), .text(origin.value)]
                )
                try connection.execute(
                    "UPDATE origin_counters SET last_seq = last_seq + ? WHERE origin = ?",
                    [.integer(plan.shift), .text(origin.value)]
                )
            }
            _ = try Self.insert(plan.missing, at: now, connection)
            try connection.execute(
                """
                INSERT INTO origin_counters (origin, last_seq) VALUES (?, ?)
                ON CONFLICT (origin) DO UPDATE SET last_seq = MAX(last_seq, excluded.last_seq)
                """,
                [.text(origin.value), .integer(plan.pushed)]
            )
            try Self.setSyncState(connection, SyncStateKey.linkPushed.name, String(plan.pushed), at: now)
        }
    }

    public func recordRestore(id: String) async throws -> RestoreMark {
        try await database.write { connection in
            var heads: [ServerKey: Int64] = [:]
            for row in try connection.query("SELECT origin, last_seq FROM origin_counters") {
                heads[try readable(row.text(0).flatMap { try? ServerKey($0) }, in: "origin_counters")] = try readable(
                    row.integer(1),
                    in: "origin_counters"
                )
            }
            let mark = RestoreMark(id: id, heads: heads)
            let kept = try Self.syncState(connection, SyncStateKey.restores.name)
            let marks = RestoreMark.parseList(stored: kept) + [mark]
            let text = String(decoding: JSONWriter.bytes(of: .array(marks.map(\.json))), as: UTF8.self)
            try Self.setSyncState(connection, SyncStateKey.restores.name, text, at: self.clock.nowMillis())
            return mark
        }
    }

    public func forget(beyond mark: RestoreMark, except own: ServerKey) async throws {
        try await database.write { connection in
            let now = self.clock.nowMillis()
            for (origin, head) in mark.heads(forgottenBy: own) {
                try connection.execute(
                    """
                    UPDATE stock SET on_hand = on_hand - (
                        SELECT SUM(qty) FROM movements m
                        WHERE m.origin = ?1 AND m.origin_seq > ?2 AND m.shop_id = stock.shop_id AND m.product_id = stock.product_id
                    ), modified_at = ?3
                    WHERE EXISTS (
                        SELECT 1 FROM movements m
                        WHERE m.origin = ?1 AND m.origin_seq > ?2 AND m.shop_id = stock.shop_id AND m.product_id = stock.product_id
                    )
                    """,
                    [.text(origin.value), .integer(head), .integer(now)]
                )
                try connection.execute("DELETE FROM movements WHERE origin = ? AND origin_seq > ?", [.text(origin.value), .integer(head)])
            }
            let stored = try Self.syncState(connection, SyncStateKey.linkCursor.name)
            let cursor = SyncCursor(encoded: stored ?? "") ?? SyncCursor()
            try Self.setSyncState(connection, SyncStateKey.linkCursor.name, mark.rewound(cursor, for: own).encoded, at: now)
            try Self.setSyncState(connection, SyncStateKey.linkRestored.name, mark.id, at: now)
        }
    }

    public func pullRead(forShops shops: [Int], except store: ServerKey, after cursor: SyncCursor, limit: Int, at now: Int64) async throws -> PullRead
    {
        PullRead(
            page: try await movements(forShops: shops, except: store, after: cursor, limit: limit),
            held: try await held(shops: shops, at: now),
            horizons: try await movementHorizons().filter { $0.value > 0 }
        )
    }

    private func held(shops: [Int], at now: Int64) async throws -> HeldQuantities {
        let blocked = try await database.read { connection in
            let rows = try connection.query(
                // Named: without statistics SQLite prefers the primary key, a scan of the shop's lines.
                "SELECT shop_id, product_id, blocked FROM stock INDEXED BY stock_blocked WHERE shop_id IN (SELECT value FROM json_each(?)) AND blocked <> 0",
                [.json(.array(shops.map { .integer(Int64($0)) }))]
            )
            return Dictionary(
                uniqueKeysWithValues: try rows.map { row in
                    let (shop, product, blocked) = (
                        try readable(row.integer(0), in: "stock"), try readable(row.text(1), in: "stock"), try readable(row.integer(2), in: "stock")
                    )
                    return (ProductKey(shop: Int(shop), product: product), blocked)
                }
            )
        }
        // On the writer, between two batches: the reserved sums are the writer's (`SQLiteReservedLedger`).
        let reserved = try await database.readOnWriter { [reservedLedger] connection in
            try reservedLedger.allReserved(shops: Set(shops), at: now, connection)
        }
        return HeldQuantities(reserved: reserved, blocked: blocked)
    }

    /// What a store knew of central's figures, replaced: reserved wholesale, blocked where it differs.
    private static func replace(with figures: CentralFigures, at now: Int64, _ connection: SQLiteConnection) throws {
        let rows = { (quantities: [ProductKey: Int64]) in
            SQLiteValue.json(.array(quantities.map { .array([.integer(Int64($0.key.shop)), .string($0.key.product), .integer($0.value)]) }))
        }
        try connection.execute("DELETE FROM central_reserved")
        try connection.execute(
            "INSERT INTO central_reserved (shop_id, product_id, qty) SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(?)",
            [rows(figures.reserved)]
        )
        try connection.execute(
            """
            UPDATE stock SET blocked = COALESCE(
                (SELECT value ->> 2 FROM json_each(?1) WHERE value ->> 0 = stock.shop_id AND value ->> 1 = stock.product_id), 0),
                modified_at = ?3
            WHERE shop_id IN (SELECT value FROM json_each(?2)) AND blocked <> COALESCE(
                (SELECT value ->> 2 FROM json_each(?1) WHERE value ->> 0 = stock.shop_id AND value ->> 1 = stock.product_id), 0)
            """,
            [rows(figures.blocked), .json(.array(figures.shops.map { .integer(Int64($0)) })), .integer(now)]
        )
    }

    public func centralReserved(shop: Int, products: [String]) async throws -> [String: Int64] {
        try await database.read { connection in
            let rows = try connection.query(
                "SELECT product_id, qty FROM central_reserved WHERE shop_id = ? AND product_id IN (SELECT value FROM json_each(?))",
                [.integer(Int64(shop)), .json(.array(products.map(JSONValue.string)))]
            )
            return Dictionary(
                try rows.map { row in (try readable(row.text(0), in: "central_reserved"), try readable(row.integer(1), in: "central_reserved")) },
                uniquingKeysWith: +
            )
        }
    }

    public func highestSequence(of origin: ServerKey) async throws -> Int64 {
        try await database.read { connection in try Self.highestSequence(of: origin, connection) }
    }

    /// The highest sequence held from `origin`, or deleted by retention (its horizon).
    static func highestSequence(of origin: ServerKey, _ connection: SQLiteConnection) throws -> Int64 {
        try connection.query(
            """
            SELECT MAX((SELECT COALESCE(MAX(origin_seq), 0) FROM movements WHERE origin = ?1),
                (SELECT COALESCE(MAX(deleted_through), 0) FROM movement_horizons WHERE origin = ?1))
            """,
            [.text(origin.value)]
        ).first?.integer(0) ?? 0
    }

    static func replicated(_ rows: [SQLiteRow]) throws -> [ReplicatedMovement] {
        try rows.map { row in
            let table = "movements"
            return ReplicatedMovement(
                origin: try readable(row.text(0).flatMap { try? ServerKey($0) }, in: table),
                sequence: try readable(row.integer(1), in: table),
                shop: Int(try readable(row.integer(2), in: table)),
                product: try readable(row.text(3), in: table),
                qty: try readable(row.integer(4), in: table),
                reason: try readable(row.text(5).flatMap(MovementReason.init(rawValue:)), in: table),
                reference: row.text(6),
                createdAt: try readable(row.integer(7), in: table)
            )
        }
    }
}
