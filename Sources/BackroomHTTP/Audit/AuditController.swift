import BackroomCore
import BackroomStorage
import Hummingbird

/// `GET /api/v1/audit?limit=&after=` (right `admin`): every change made through the admin API,
/// the command line or the agent, newest first.
struct AuditController {
    let storage: any AuditStore

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("audit", use: list)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Envelope<[AuditRecordWire]> {
        _ = try context.requireAny(of: [.admin])
        let paging = try ListPaging(request)
        let entries = try await storage.auditEntries(before: try paging.afterId, limit: paging.limit)
        let next = entries.count == paging.limit ? entries.last.map { String($0.id) } : nil
        return .page(entries.map(AuditRecordWire.init), next: next)
    }
}

/// An audit entry on the wire; `at` in ISO 8601, UTC.
struct AuditRecordWire: JSONRepresentable, Sendable {
    let entry: AuditEntry

    var json: JSONValue {
        .object([
            "id": .integer(entry.id),
            "at": .string(LocalTimestamp.iso8601(millis: entry.at, offsetSeconds: 0)),
            "actor": .string(entry.actor),
            "channel": .string(entry.channel.rawValue),
            "origin": .string(entry.origin),
            "action": .string(entry.action),
            "target": .string(entry.target),
            "detail": (try? JSONReader.read(Array(entry.detail.utf8))) ?? .string(entry.detail),
        ])
    }
}
