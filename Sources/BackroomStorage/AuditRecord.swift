import BackroomCore

/// An `audit_log` row as both databases read it.
enum AuditRecord {
    static let columns = "id, at, actor, channel, origin, action, target, detail"

    static func entry(
        id: Int64,
        at: Int64,
        actor: String,
        channel: String,
        origin: String,
        action: String,
        target: String,
        detail: String
    ) throws -> AuditEntry {
        AuditEntry(
            id: id,
            at: at,
            actor: actor,
            channel: try readable(AuditEntry.Channel(rawValue: channel), in: "audit_log"),
            origin: origin,
            action: action,
            target: target,
            detail: detail
        )
    }
}
