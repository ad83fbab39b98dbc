import BackroomCore
import PostgresNIO

extension PostgresStorage: AuditStore {
    public func recordAudit(_ entry: AuditEntry) async throws {
        try await transaction { connection in
            try await connection.checkedQuery(
                """
                INSERT INTO audit_log (at, actor, channel, origin, action, target, detail)
                VALUES (\(entry.at), \(entry.actor), \(entry.channel.rawValue), \(entry.origin), \(entry.action), \(entry.target), \(entry.detail))
                """,
                logger: logger
            )
            try await connection.checkedQuery("DELETE FROM audit_log WHERE at < \(entry.at - AuditEntry.retentionMillis)", logger: logger)
        }
    }

    public func auditEntries(before: Int64?, limit: Int) async throws -> [AuditEntry] {
        try await client.query(
            "SELECT \(unescaped: AuditRecord.columns) FROM audit_log WHERE id < \(before ?? Int64.max) ORDER BY id DESC LIMIT \(Int64(limit))",
            logger: logger
        ).decode((Int64, Int64, String, String, String, String, String, String).self).collect().map {
            try AuditRecord.entry(id: $0.0, at: $0.1, actor: $0.2, channel: $0.3, origin: $0.4, action: $0.5, target: $0.6, detail: $0.7)
        }
    }
}
