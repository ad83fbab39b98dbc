import BackroomCore
import Foundation

/// How a running server was configured, as the HTTP layer needs it.
public struct ServerSettings: Sendable {
    public static let defaultBodyLimit = 1 << 20
    public static let backroomVersion = "0.1.0"

    public let role: ServerRole
    public let serverKey: ServerKey
    public let host: String
    public let port: Int
    public let bodyLimit: Int
    /// The zone the reservation service writes `validUntil` in.
    public let timeZone: TimeZone

    public init(
        role: ServerRole, serverKey: ServerKey, host: String, port: Int, bodyLimit: Int = defaultBodyLimit,
        timeZone: TimeZone = TimeZone(identifier: "UTC")!
    ) {
        self.role = role
        self.serverKey = serverKey
        self.host = host
        self.port = port
        self.bodyLimit = bodyLimit
        self.timeZone = timeZone
    }
}
