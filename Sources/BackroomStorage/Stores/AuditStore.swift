import BackroomCore

/// The audit log. Every method is one transaction, and returns only once it is durable.
public protocol AuditStore: Sendable {
    /// Writes the entry and drops those older than `AuditEntry.retentionMillis` before its time.
    func recordAudit(_ entry: AuditEntry) async throws
    /// Entries newest first, before the entry numbered `before` (nil: from the newest).
    func auditEntries(before: Int64?, limit: Int) async throws -> [AuditEntry]
}
