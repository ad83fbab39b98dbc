import BackroomCore
import Logging
import PostgresNIO

extension PostgresStorage: ReservationStore {
    public func applyReservations(_ commands: [ReservationCommand], at now: Int64, origin: ServerKey) async throws -> [ReservationResult] {
        do {
            return try await transaction { connection in
                try await Self.applyReservations(commands, at: now, origin: origin, connection, logger: logger)
            }
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == PostgresError.Code.lockNotAvailable.raw {
            throw StorageError.lockTimeout
        }
    }

    public func reservation(id: Int64) async throws -> Reservation? {
        try await client.withConnection { connection in
            try await Self.reservations([id], lock: false, connection, logger: logger)[id]
        }
    }

    public func reservations(shop: Int, state: ReservationListState?, at now: Int64, before: Int64?, limit: Int) async throws -> [Reservation] {
        let validity = "\(state?.validity ?? .any)"
        let stored = state?.stored.rawValue
        return try await client.withConnection { connection in
            let ids = try await connection.checkedQuery(
                """
                SELECT id FROM reservations WHERE shop_id = \(Int64(shop)) AND id < \(before ?? Int64.max)
                  AND (\(stored)::text IS NULL OR state = \(stored)) AND (\(validity) = 'any' OR (\(validity) = 'running') = (valid_until > \(now)))
                ORDER BY id DESC LIMIT \(Int64(limit))
                """,
                logger: logger
            ).decode(Int64.self).collect()
            let found = try await Self.reservations(ids, lock: false, connection, logger: logger)
            return ids.compactMap { found[$0] }
        }
    }

    /// Drives the batch's steps on one connection in one transaction (`ReservationBatch` decides them).
    private static func applyReservations(
        _ commands: [ReservationCommand],
        at now: Int64,
        origin: ServerKey,
        _ connection: PostgresConnection,
        logger: Logger
    ) async throws -> [ReservationResult] {
        var batch = ReservationBatch(commands, at: now)
        while true {
            switch batch.next() {
            case .readKeysAndShops(let claims, let shops):
                let existing = try await configure(connection, shops: shops.map(Int64.init), logger: logger)
                let answered = try await storedAnswers(claims, scope: .reservation, at: now, connection, logger: logger)
                    .mapValues { (request: $0.request, answer: try $0.decoded(as: ReservationSnapshot.self)) }
                batch.keysAndShopsRead(answered: answered, shops: Set(existing))
            case .readReservations(let ids):
                batch.reservationsRead(try await reservations(ids, lock: true, connection, logger: logger))
            case .readStock(let keys):
                batch.stockRead(try await productStock(keys, at: now, lock: true, connection, logger: logger))
            case .persist(let plan, let was):
                let createdIDs = try await store(plan.created, buckets: plan.bucketDeltas, at: now, connection, logger: logger)
                try await storeAnswers(
                    try zip(createdIDs, plan.created).compactMap { id, new in
                        try new.idempotency.map { ($0, try IdempotencyKeys.encode(new.snapshot(id: id))) }
                    },
                    scope: .reservation,
                    at: now,
                    connection,
                    logger: logger
                )
                try await update(plan.updated, was: was, at: now, connection, logger: logger)
                try await appendMovements(
                    plan.sales.flatMap { sale in
                        sale.lines.map { (ProductKey(shop: sale.shop, product: $0.product), -$0.qty, .sale, "reservation:\(sale.reservationID)") }
                    },
                    origin: origin,
                    at: now,
                    connection,
                    logger: logger
                )
                batch.persisted(createdIDs: createdIDs)
            case .done(let results):
                return results
            }
        }
    }

    /// Sets this transaction's lock wait from the preference (read on every batch, so a change
    /// applies at once) and returns which of `shops` exist, in one round trip.
    private static func configure(_ connection: PostgresConnection, shops: [Int64], logger: Logger) async throws -> [Int] {
        let rows = try await connection.checkedQuery(
            """
            SELECT set_config('lock_timeout', COALESCE(
                    (SELECT value FROM preferences WHERE name = \(Preference.reservationLockTimeout.rawValue)),
                    \(String(Preference.reservationLockTimeout.defaultValue))) || 'ms', true),
                ARRAY(SELECT id FROM shops WHERE id = ANY(\(shops)::bigint[]))
            """,
            logger: logger
        ).decode((String, [Int64]).self).collect()
        return rows.first?.1.map(Int.init) ?? []
    }

    /// Reads reservations and their lines; with `lock`, locks them in id order first.
    private static func reservations(
        _ ids: [Int64],
        lock: Bool,
        _ connection: PostgresConnection,
        logger: Logger
    ) async throws -> [Int64: Reservation] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await connection.checkedQuery(
            """
            SELECT id, shop_id, type, state, lifetime, valid_until FROM reservations WHERE id = ANY(\(ids)::bigint[])
            \(unescaped: lock ? "ORDER BY id FOR UPDATE" : "")
            """,
            logger: logger
        ).decode((Int64, Int64, String, String, Int64, Int64).self).collect()
        let lines = try await connection.checkedQuery(
            "SELECT reservation_id, product_id, qty FROM reservation_items WHERE reservation_id = ANY(\(ids)::bigint[]) ORDER BY reservation_id, line",
            logger: logger
        ).decode((Int64, String, Int64).self).collect()
        let linesByReservation = Dictionary(grouping: lines, by: \.0)
        var reservations: [Int64: Reservation] = [:]
        for (id, shop, typeName, stateName, lifetime, validUntil) in rows {
            reservations[id] = Reservation(
                id: id,
                shop: Int(shop),
                type: try readable(ReservationType(rawValue: typeName), in: "reservations"),
                state: try readable(ReservationState(rawValue: stateName), in: "reservations"),
                lifetime: lifetime,
                validUntil: validUntil,
                lines: (linesByReservation[id] ?? []).map { ReservationLine(product: $0.1, qty: $0.2) }
            )
        }
        return reservations
    }

    /// Inserts the new reservations with their lines and applies the bucket changes, in one
    /// statement (row-level foreign keys are checked at its end), and returns the new ids in
    /// the order of `created`. The expired buckets of the products changed go with it: they
    /// hold nothing (`ReservedQuantities`), and kept, a busy product would gather one a second.
    private static func store(
        _ created: [ReservationPlanner.NewReservation],
        buckets: [ReservationPlanner.BucketKey: Int64],
        at now: Int64,
        _ connection: PostgresConnection,
        logger: Logger
    ) async throws -> [Int64] {
        guard !created.isEmpty || !buckets.isEmpty else { return [] }
        let shops = created.map { Int64($0.shop) }
        let types = created.map(\.type.rawValue)
        let lifetimes = created.map(\.lifetime)
        let ends = created.map(\.validUntil)
        let lines = created.enumerated().flatMap { entry in
            entry.element.lines.enumerated().map { (Int64(entry.offset + 1), Int64($0.offset), $0.element) }
        }
        let lineOwners = lines.map(\.0)
        let linePositions = lines.map(\.1)
        let lineProducts = lines.map(\.2.product)
        let lineQuantities = lines.map(\.2.qty)
        let bucketRows = Array(buckets)
        let bucketShops = bucketRows.map { Int64($0.key.product.shop) }
        let bucketProducts = bucketRows.map(\.key.product.product)
        let bucketEnds = bucketRows.map(\.key.expiresAt)
        let bucketQuantities = bucketRows.map(\.value)
        return try await connection.checkedQuery(
            """
            WITH ids AS MATERIALIZED (
                SELECT position, nextval(pg_get_serial_sequence('reservations', 'id')) AS id
                FROM generate_series(1, \(Int64(created.count))) AS position
            ), new_reservations AS (
                INSERT INTO reservations (id, shop_id, type, state, lifetime, valid_until, created_at, updated_at)
                SELECT ids.id, input.shop_id, input.type, 'active', input.lifetime, input.valid_until, \(now), \(now)
                FROM unnest(\(shops)::bigint[], \(types)::text[], \(lifetimes)::bigint[], \(ends)::bigint[])
                    WITH ORDINALITY AS input (shop_id, type, lifetime, valid_until, position)
                JOIN ids USING (position)
            ), new_lines AS (
                INSERT INTO reservation_items (reservation_id, line, product_id, qty)
                SELECT ids.id, input.line, input.product_id, input.qty
                FROM unnest(\(lineOwners)::bigint[], \(linePositions)::bigint[], \(lineProducts)::text[], \(lineQuantities)::bigint[])
                    AS input (position, line, product_id, qty)
                JOIN ids USING (position)
            ), held AS (
                INSERT INTO reserved_buckets (shop_id, product_id, expires_at, qty)
                SELECT * FROM unnest(\(bucketShops)::bigint[], \(bucketProducts)::text[], \(bucketEnds)::bigint[], \(bucketQuantities)::bigint[])
                ON CONFLICT (shop_id, product_id, expires_at) DO UPDATE SET qty = reserved_buckets.qty + excluded.qty
            ), swept AS (
                DELETE FROM reserved_buckets b
                USING (SELECT DISTINCT shop_id, product_id FROM unnest(\(bucketShops)::bigint[], \(bucketProducts)::text[]) AS c (shop_id, product_id)) AS changed
                WHERE b.shop_id = changed.shop_id AND b.product_id = changed.product_id AND b.expires_at <= \(now)
                    AND b.expires_at <> ALL (\(bucketEnds)::bigint[])
            )
            SELECT id FROM ids ORDER BY position
            """,
            logger: logger
        ).decode(Int64.self).collect()
    }

    private static func update(
        _ updated: [Int64: Reservation],
        was before: [Int64: Reservation],
        at now: Int64,
        _ connection: PostgresConnection,
        logger: Logger
    ) async throws {
        guard !updated.isEmpty else { return }
        let reservations = Array(updated.values)
        let ids = reservations.map(\.id)
        let types = reservations.map(\.type.rawValue)
        let states = reservations.map(\.state.rawValue)
        let lifetimes = reservations.map(\.lifetime)
        let ends = reservations.map(\.validUntil)
        try await connection.checkedQuery(
            """
            UPDATE reservations SET type = input.type, state = input.state, lifetime = input.lifetime,
                valid_until = input.valid_until, updated_at = \(now)
            FROM unnest(\(ids)::bigint[], \(types)::text[], \(states)::text[], \(lifetimes)::bigint[], \(ends)::bigint[])
                AS input (id, type, state, lifetime, valid_until)
            WHERE reservations.id = input.id
            """,
            logger: logger
        )
        let relined = reservations.filter { $0.lines != before[$0.id]?.lines }
        guard !relined.isEmpty else { return }
        let relinedIDs = relined.map(\.id)
        try await connection.checkedQuery("DELETE FROM reservation_items WHERE reservation_id = ANY(\(relinedIDs)::bigint[])", logger: logger)
        try await insertLines(relined.map { ($0.id, $0.lines) }, connection, logger: logger)
    }

    private static func insertLines(
        _ reservations: [(id: Int64, lines: [ReservationLine])],
        _ connection: PostgresConnection,
        logger: Logger
    ) async throws {
        let rows = reservations.flatMap { reservation in reservation.lines.enumerated().map { (reservation.id, Int64($0.offset), $0.element) } }
        guard !rows.isEmpty else { return }
        let ids = rows.map(\.0)
        let positions = rows.map(\.1)
        let products = rows.map(\.2.product)
        let quantities = rows.map(\.2.qty)
        try await connection.checkedQuery(
            """
            INSERT INTO reservation_items (reservation_id, line, product_id, qty)
            SELECT * FROM unnest(\(ids)::bigint[], \(positions)::bigint[], \(products)::text[], \(quantities)::bigint[])
            """,
            logger: logger
        )
    }
}
