import BackroomCore

extension SQLiteStorage {
    /// The answer given to `claim` in `scope` within the retention period, if any.
    static func storedAnswer(
        _ connection: SQLiteConnection,
        _ claim: IdempotencyClaim,
        scope: IdempotencyKeys.Scope,
        at now: Int64
    ) throws -> IdempotencyKeys.Stored? {
        let rows = try connection.query(
            "SELECT request, answer FROM idempotency_keys WHERE user_id = ? AND scope = ? AND key = ? AND created_at > ?",
            [.integer(claim.userID), .text(scope.rawValue), .text(claim.key), .integer(now - IdempotencyKeys.retentionMillis)]
        )
        guard let row = rows.first else { return nil }
        return IdempotencyKeys.Stored(
            request: try readable(row.text(0), in: "idempotency_keys"),
            answer: try readable(row.text(1), in: "idempotency_keys")
        )
    }

    /// Keeps `answer` for the key; an expired earlier use of the key is replaced.
    static func storeAnswer(
        _ connection: SQLiteConnection,
        _ idempotency: IdempotentRequest,
        scope: IdempotencyKeys.Scope,
        answer: some Encodable,
        at now: Int64
    ) throws {
        try connection.execute(
            """
            INSERT INTO idempotency_keys (user_id, scope, key, request, answer, created_at) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (user_id, scope, key) DO UPDATE
            SET request = excluded.request, answer = excluded.answer, created_at = excluded.created_at
            """,
            [
                .integer(idempotency.claim.userID), .text(scope.rawValue), .text(idempotency.claim.key),
                .text(idempotency.request), .text(try IdempotencyKeys.encode(answer)), .integer(now),
            ]
        )
    }
}
