/// A server's status as it changed: when, to what, and, going offline, why. The console's
/// history of a store; kept 90 days, like the audit log.
public struct StatusChange: Sendable, Equatable {
    public static let retentionMillis: Int64 = 90 * 24 * 3600 * 1000

    /// Milliseconds since 1970.
    public let at: Int64
    public let status: ServerStatus
    public let reason: String?

    public init(at: Int64, status: ServerStatus, reason: String?) {
        self.at = at
        self.status = status
        self.reason = reason
    }
}
