import BackroomCore

extension SQLiteStorage: RetentionStore {
    public func deleteFinishedReservations(after id: Int64, limit: Int, finishedBefore cutoff: Int64) async throws -> ReservationSweep {
        try await database.write { connection in
            let walked = try connection.query(
                "SELECT id, created_at FROM reservations WHERE id > ? ORDER BY id LIMIT ?",
                [.integer(id), .integer(Int64(limit))]
            )
            .map { (try readable($0.integer(0), in: "reservations"), try readable($0.integer(1), in: "reservations")) }
            let old = walked.prefix { $0.1 < cutoff }.map(\.0)
            guard let last = old.last else { return ReservationSweep(deleted: 0, walkedThrough: nil, done: true) }
            let doomed = "SELECT id FROM reservations WHERE id > ?1 AND id <= ?2 AND \(RetentionSQL.finished(before: cutoff))"
            let range: [SQLiteValue] = [.integer(id), .integer(last)]
            try connection.execute("DELETE FROM reservation_items WHERE reservation_id IN (\(doomed))", range)
            let deleted = try connection.execute("DELETE FROM reservations WHERE id IN (\(doomed))", range)
            return ReservationSweep(deleted: deleted, walkedThrough: last, done: old.count < walked.count || walked.count < limit)
        }
    }

    public func movementHorizons() async throws -> [ServerKey: Int64] {
        try await database.read { connection in
            var horizons: [ServerKey: Int64] = [:]
            for row in try connection.query(
                """
                SELECT o.origin, COALESCE(h.deleted_through, 0)
                FROM (SELECT origin FROM origin_counters UNION SELECT origin FROM replicated_origins) o
                LEFT JOIN movement_horizons h ON h.origin = o.origin
                """
            ) {
                horizons[try readable(row.text(0).flatMap { try? ServerKey($0) }, in: "origins")] = try readable(row.integer(1), in: "origins")
            }
            return horizons
        }
    }

    public func oldestMovements(of origin: ServerKey, limit: Int) async throws -> [(sequence: Int64, recordedAt: Int64)] {
        try await database.read { connection in
            try connection.query(
                "SELECT origin_seq, created_at FROM movements WHERE origin = ? ORDER BY origin_seq LIMIT ?",
                [.text(origin.value), .integer(Int64(limit))]
            ).map { (sequence: try readable($0.integer(0), in: "movements"), recordedAt: try readable($0.integer(1), in: "movements")) }
        }
    }

    public func deleteMovements(of origin: ServerKey, through sequence: Int64) async throws -> Int {
        try await database.write { connection in
            let deleted = try connection.execute(
                "DELETE FROM movements WHERE origin = ? AND origin_seq <= ?",
                [.text(origin.value), .integer(sequence)]
            )
            try connection.execute(
                """
                INSERT INTO movement_horizons (origin, deleted_through) VALUES (?, ?)
                ON CONFLICT (origin) DO UPDATE SET deleted_through = MAX(deleted_through, excluded.deleted_through)
                """,
                [.text(origin.value), .integer(sequence)]
            )
            return deleted
        }
    }
}
