import BackroomCore
import Logging
import PostgresNIO

extension PostgresStorage: RetentionStore {
    public func deleteFinishedReservations(after id: Int64, limit: Int, finishedBefore cutoff: Int64) async throws -> ReservationSweep {
        // One statement: the rows are locked as they are chosen, so a reservation renewed
        // meanwhile is looked at again as it is now, and kept.
        let rows = try await client.query(
            """
            WITH walked AS (
                SELECT id, created_at FROM reservations WHERE id > \(id) ORDER BY id LIMIT \(Int64(limit))
            ), old AS (
                SELECT id FROM walked WHERE id < COALESCE((SELECT MIN(id) FROM walked WHERE created_at >= \(cutoff)), \(Int64.max))
            ), doomed AS (
                SELECT r.id FROM reservations r JOIN old USING (id) WHERE \(unescaped: RetentionSQL.finished(before: cutoff)) FOR UPDATE OF r
            ), items AS (
                DELETE FROM reservation_items WHERE reservation_id IN (SELECT id FROM doomed)
            ), gone AS (
                DELETE FROM reservations WHERE id IN (SELECT id FROM doomed) RETURNING id
            )
            SELECT (SELECT COUNT(*) FROM gone), (SELECT MAX(id) FROM old), (SELECT COUNT(*) FROM old), (SELECT COUNT(*) FROM walked)
            """,
            logger: logger
        ).decode((Int64, Int64?, Int64, Int64).self).collect()
        guard let (deleted, last, old, walked) = rows.first, let last else { return ReservationSweep(deleted: 0, walkedThrough: nil, done: true) }
        return ReservationSweep(deleted: Int(deleted), walkedThrough: last, done: old < walked || walked < limit)
    }

    public func movementHorizons() async throws -> [ServerKey: Int64] {
        let rows = try await client.query(
            """
            SELECT o.origin, COALESCE(h.deleted_through, 0)::bigint
            FROM (SELECT origin FROM origin_counters UNION SELECT origin FROM replicated_origins) o
            LEFT JOIN movement_horizons h ON h.origin = o.origin
            """,
            logger: logger
        ).decode((String, Int64).self).collect()
        return Dictionary(uniqueKeysWithValues: try rows.map { (try readable(try? ServerKey($0.0), in: "origins"), $0.1) })
    }

    public func oldestMovements(of origin: ServerKey, limit: Int) async throws -> [(sequence: Int64, recordedAt: Int64)] {
        try await client.query(
            "SELECT origin_seq, created_at FROM movements WHERE origin = \(origin.value) ORDER BY origin_seq LIMIT \(Int64(limit))",
            logger: logger
        ).decode((Int64, Int64).self).collect().map { (sequence: $0.0, recordedAt: $0.1) }
    }

    public func deleteMovements(of origin: ServerKey, through sequence: Int64) async throws -> Int {
        // The horizon's row exists before the deletion's transaction locks it: a push reading it
        // `FOR SHARE` then either goes first, or waits and sees the new horizon.
        try await client.query(
            "INSERT INTO movement_horizons (origin, deleted_through) VALUES (\(origin.value), 0) ON CONFLICT DO NOTHING",
            logger: logger
        )
        return try await transaction { connection in
            try await connection.checkedQuery(
                """
                UPDATE movement_horizons SET deleted_through = GREATEST(deleted_through, \(sequence)) WHERE origin = \(origin.value)
                """,
                logger: logger
            )
            let rows = try await connection.checkedQuery(
                """
                WITH gone AS (DELETE FROM movements WHERE origin = \(origin.value) AND origin_seq <= \(sequence) RETURNING 1)
                SELECT COUNT(*) FROM gone
                """,
                logger: logger
            ).decode(Int64.self).collect()
            return Int(rows.first ?? 0)
        }
    }
}
