import BackroomCore
import Logging
import PostgresNIO

extension PostgresStorage {
    /// The answers given to `claims` in `scope` within the retention period. Two writers acting
    /// on the same new key at once would both act: the keys are locked first (in one order),
    /// and their answers read after the lock, in a statement of its own.
    static func storedAnswers(
        _ claims: [IdempotencyClaim],
        scope: IdempotencyKeys.Scope,
        at now: Int64,
        _ connection: PostgresConnection,
        logger: Logger
    ) async throws -> [IdempotencyClaim: IdempotencyKeys.Stored] {
        guard !claims.isEmpty else { return [:] }
        let users = claims.map(\.userID)
        let keys = claims.map(\.key)
        try await connection.checkedQuery(
            """
            SELECT pg_advisory_xact_lock(lock_key) FROM (
                SELECT DISTINCT hashtextextended(\(scope.rawValue) || ':' || user_id::text || ':' || key, 0) AS lock_key
                FROM unnest(\(users)::bigint[], \(keys)::text[]) AS wanted (user_id, key) ORDER BY lock_key
            ) AS ordered
            """,
            logger: logger
        )
        let rows = try await connection.checkedQuery(
            """
            SELECT k.user_id, k.key, k.request, k.answer FROM idempotency_keys k
            JOIN unnest(\(users)::bigint[], \(keys)::text[]) AS wanted (user_id, key)
                ON k.user_id = wanted.user_id AND k.key = wanted.key
            WHERE k.scope = \(scope.rawValue) AND k.created_at > \(now - IdempotencyKeys.retentionMillis)
            """,
            logger: logger
        ).decode((Int64, String, String, String).self).collect()
        var answers: [IdempotencyClaim: IdempotencyKeys.Stored] = [:]
        for (user, key, request, answer) in rows {
            answers[IdempotencyClaim(userID: user, key: key)] = IdempotencyKeys.Stored(request: request, answer: answer)
        }
        return answers
    }

    /// Keeps each answer for its key; expired earlier uses of the keys are replaced.
    static func storeAnswers(
        _ answers: [(request: IdempotentRequest, answer: String)],
        scope: IdempotencyKeys.Scope,
        at now: Int64,
        _ connection: PostgresConnection,
        logger: Logger
    ) async throws {
        guard !answers.isEmpty else { return }
        let users = answers.map(\.request.claim.userID)
        let keys = answers.map(\.request.claim.key)
        let requests = answers.map(\.request.request)
        let texts = answers.map(\.answer)
        try await connection.checkedQuery(
            """
            INSERT INTO idempotency_keys (user_id, scope, key, request, answer, created_at)
            SELECT user_id, \(scope.rawValue), key, request, answer, \(now)
            FROM unnest(\(users)::bigint[], \(keys)::text[], \(requests)::text[], \(texts)::text[]) AS input (user_id, key, request, answer)
            ON CONFLICT (user_id, scope, key) DO UPDATE
            SET request = excluded.request, answer = excluded.answer, created_at = excluded.created_at
            """,
            logger: logger
        )
    }
}
