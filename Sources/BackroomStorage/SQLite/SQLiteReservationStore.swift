import BackroomCore

extension SQLiteStorage: ReservationStore {
    public func applyReservations(_ commands: [ReservationCommand], at now: Int64, origin: ServerKey) async throws -> [ReservationResult] {
        do {
            return try await database.write(
                prepare: { connection in
                    // Read on every batch, so a changed preference applies at once.
                    let stored = try connection.query(
                        "SELECT value FROM preferences WHERE name = ?",
                        [.text(Preference.reservationLockTimeout.rawValue)]
                    ).first?.text(0)
                    connection.setBusyTimeout(millis: Int32(Preference.reservationLockTimeout.effectiveValue(stored: stored)))
                },
                { [reservedLedger] connection in
                    try Self.applyReservations(commands, at: now, origin: origin, connection, reservedLedger)
                },
                committed: { [reservedLedger] applied in reservedLedger.apply(applied.reservedDeltas) }
            ).results
        } catch let error as SQLiteError where error.isBusy {
            throw StorageError.lockTimeout
        }
    }

    public func reservation(id: Int64) async throws -> Reservation? {
        try await database.read { connection in try Self.reservation(connection, id: id) }
    }

    public func reservations(shop: Int, state: ReservationListState?, at now: Int64, before: Int64?, limit: Int) async throws -> [Reservation] {
        let validity = state?.validity ?? .any
        return try await database.read { connection in
            try connection.query(
                """
                SELECT id FROM reservations WHERE shop_id = ? AND id < ? AND (? IS NULL OR state = ?)
                  AND (? = 'any' OR (? = 'running') = (valid_until > ?))
                ORDER BY id DESC LIMIT ?
                """,
                [
                    .integer(Int64(shop)), .integer(before ?? Int64.max), state.map { .text($0.stored.rawValue) } ?? .null,
                    state.map { .text($0.stored.rawValue) } ?? .null, .text("\(validity)"), .text("\(validity)"), .integer(now),
                    .integer(Int64(limit)),
                ]
            ).compactMap { row in try Self.reservation(connection, id: try readable(row.integer(0), in: "reservations")) }
        }
    }

    /// Drives the batch's steps on the writer's connection (`ReservationBatch` decides them).
    private static func applyReservations(
        _ commands: [ReservationCommand],
        at now: Int64,
        origin: ServerKey,
        _ connection: SQLiteConnection,
        _ ledger: SQLiteReservedLedger
    ) throws -> (results: [ReservationResult], reservedDeltas: [ReservationPlanner.BucketKey: Int64]) {
        var batch = ReservationBatch(commands, at: now)
        var reservedDeltas: [ReservationPlanner.BucketKey: Int64] = [:]
        while true {
            switch batch.next() {
            case .readKeysAndShops(let claims, let shops):
                var answered: [IdempotencyClaim: (request: String, answer: ReservationSnapshot)] = [:]
                for claim in claims {
                    if let earlier = try storedAnswer(connection, claim, scope: .reservation, at: now) {
                        answered[claim] = (earlier.request, try earlier.decoded(as: ReservationSnapshot.self))
                    }
                }
                batch.keysAndShopsRead(answered: answered, shops: Set(try shops.filter { try shopExists(connection, $0) }))
            case .readReservations(let ids):
                batch.reservationsRead(
                    Dictionary(uniqueKeysWithValues: try ids.compactMap { id in try reservation(connection, id: id).map { (id, $0) } })
                )
            case .readStock(let keys):
                batch.stockRead(try productStock(connection, keys, at: now, ledger))
            case .persist(let plan, let was):
                batch.persisted(createdIDs: try persist(plan, was: was, at: now, origin: origin, connection))
                reservedDeltas = plan.bucketDeltas
            case .done(let results):
                return (results, reservedDeltas)
            }
        }
    }

    private static func persist(
        _ plan: ReservationPlanner.Plan,
        was: [Int64: Reservation],
        at now: Int64,
        origin: ServerKey,
        _ connection: SQLiteConnection
    ) throws -> [Int64] {
        let createdIDs = try insert(plan.created, at: now, connection)
        for (id, new) in zip(createdIDs, plan.created) {
            if let idempotency = new.idempotency {
                try storeAnswer(connection, idempotency, scope: .reservation, answer: new.snapshot(id: id), at: now)
            }
        }
        for (id, reservation) in plan.updated {
            try connection.execute(
                "UPDATE reservations SET type = ?, state = ?, lifetime = ?, valid_until = ?, updated_at = ? WHERE id = ?",
                [
                    .text(reservation.type.rawValue), .text(reservation.state.rawValue), .integer(reservation.lifetime),
                    .integer(reservation.validUntil), .integer(now), .integer(id),
                ]
            )
            if reservation.lines != was[id]?.lines {
                try connection.execute("DELETE FROM reservation_items WHERE reservation_id = ?", [.integer(id)])
                try insertLines(connection, [(id, reservation.lines)])
            }
        }
        for sale in plan.sales {
            for line in sale.lines {
                try appendMovement(
                    connection,
                    ProductKey(shop: sale.shop, product: line.product),
                    qty: -line.qty,
                    reason: .sale,
                    reference: "reservation:\(sale.reservationID)",
                    origin: origin,
                    at: now
                )
            }
        }
        return createdIDs
    }

    private static func reservation(_ connection: SQLiteConnection, id: Int64) throws -> Reservation? {
        let rows = try connection.query(
            "SELECT shop_id, type, state, lifetime, valid_until FROM reservations WHERE id = ?",
            [.integer(id)]
        )
        guard let row = rows.first else { return nil }
        let table = "reservations"
        let lines = try connection.query(
            "SELECT product_id, qty FROM reservation_items WHERE reservation_id = ? ORDER BY line",
            [.integer(id)]
        ).map { row in
            ReservationLine(product: try readable(row.text(0), in: "reservation_items"), qty: try readable(row.integer(1), in: "reservation_items"))
        }
        return Reservation(
            id: id,
            shop: Int(try readable(row.integer(0), in: table)),
            type: try readable(row.text(1).flatMap(ReservationType.init(rawValue:)), in: table),
            state: try readable(row.text(2).flatMap(ReservationState.init(rawValue:)), in: table),
            lifetime: try readable(row.integer(3), in: table),
            validUntil: try readable(row.integer(4), in: table),
            lines: lines
        )
    }

    /// Inserts the new reservations and their lines, one statement each, and returns their ids
    /// in the order of `created`. The batch holds the database's only write lock, so the next
    /// ids are known in advance.
    private static func insert(_ created: [ReservationPlanner.NewReservation], at now: Int64, _ connection: SQLiteConnection) throws -> [Int64] {
        guard !created.isEmpty else { return [] }
        let lastID = try connection.query("SELECT COALESCE(MAX(id), 0) FROM reservations").first?.integer(0) ?? 0
        let ids = created.indices.map { lastID + 1 + Int64($0) }
        try connection.execute(
            """
            INSERT INTO reservations (id, shop_id, type, state, lifetime, valid_until, created_at, updated_at)
            SELECT value ->> 0, value ->> 1, value ->> 2, 'active', value ->> 3, value ->> 4, ?, ? FROM json_each(?)
            """,
            [
                .integer(now), .integer(now),
                .json(
                    .array(
                        zip(ids, created).map { id, new in
                            .array([
                                .integer(id), .integer(Int64(new.shop)), .string(new.type.rawValue), .integer(new.lifetime), .integer(new.validUntil),
                            ])
                        }
                    )
                ),
            ]
        )
        try insertLines(connection, zip(ids, created.map { $0.lines }))
        return ids
    }

    private static func insertLines(
        _ connection: SQLiteConnection,
        _ reservations: some Sequence<(Int64, [ReservationLine])>
    ) throws {
        var rows: [JSONValue] = []
        for (id, lines) in reservations {
            for (index, line) in lines.enumerated() {
                rows.append(.array([.integer(id), .integer(Int64(index)), .string(line.product), .integer(line.qty)]))
            }
        }
        guard !rows.isEmpty else { return }
        try connection.execute(
            """
            INSERT INTO reservation_items (reservation_id, line, product_id, qty)
            SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3 FROM json_each(?)
            """,
            [.json(.array(rows))]
        )
    }
}
