import BackroomCore
import BackroomStorage
import Hummingbird

/// Writes the audit log entry of a change made over HTTP: the signed-in user, the client's
/// address, what was done and to what.
struct Auditor: Sendable {
    let storage: any AuditStore
    let clock: BackroomClock

    func record(
        _ context: AppRequestContext,
        _ channel: AuditEntry.Channel,
        action: String,
        target: String,
        detail: JSONValue = .object([:])
    ) async throws {
        try await storage.recordAudit(
            .new(
                at: clock.nowMillis(),
                actor: context.identity?.name ?? "anonymous",
                channel: channel,
                origin: context.clientAddress,
                action: action,
                target: target,
                detail: detail
            )
        )
    }
}
