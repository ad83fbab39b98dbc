import BackroomCore

extension SQLiteStorage: AuditStore {
    public func recordAudit(_ entry: AuditEntry) async throws {
        try await database.write { connection in
            try connection.execute(
                "INSERT INTO audit_log (at, actor, channel, origin, action, target, detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    .integer(entry.at), .text(entry.actor), .text(entry.channel.rawValue), .text(entry.origin), .text(entry.action),
                    .text(entry.target), .text(entry.detail),
                ]
            )
            try connection.execute("DELETE FROM audit_log WHERE at < ?", [.integer(entry.at - AuditEntry.retentionMillis)])
        }
    }

    public func auditEntries(before: Int64?, limit: Int) async throws -> [AuditEntry] {
        try await database.read { connection in
            try connection.query(
                "SELECT \(AuditRecord.columns) FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?",
                [.integer(before ?? Int64.max), .integer(Int64(limit))]
            ).map { row in
                let table = "audit_log"
                return try AuditRecord.entry(
                    id: try readable(row.integer(0), in: table),
                    at: try readable(row.integer(1), in: table),
                    actor: try readable(row.text(2), in: table),
                    channel: try readable(row.text(3), in: table),
                    origin: try readable(row.text(4), in: table),
                    action: try readable(row.text(5), in: table),
                    target: try readable(row.text(6), in: table),
                    detail: try readable(row.text(7), in: table)
                )
            }
        }
    }
}
