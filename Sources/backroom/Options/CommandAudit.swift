import BackroomCore
import BackroomStorage
import Foundation

/// The audit log entry of a change made from the command line: the operating system's user,
/// on this machine.
enum CommandAudit {
    static func record(_ storage: any AuditStore, action: String, target: String, detail: JSONValue = .object([:])) async throws {
        try await storage.recordAudit(
            .new(
                at: BackroomClock.system.nowMillis(),
                actor: "cli:\(ProcessInfo.processInfo.userName)",
                channel: .commandLine,
                origin: "local",
                action: action,
                target: target,
                detail: detail
            )
        )
    }
}
