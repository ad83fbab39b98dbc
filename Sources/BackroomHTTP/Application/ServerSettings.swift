import BackroomCore
import BackroomSecurity
import BackroomStorage
import BackroomSync
import Foundation

/// How a running server was configured, as the HTTP layer needs it.
public struct ServerSettings: Sendable {
    public static let defaultBodyLimit = 1 << 20

    public let role: ServerRole
    public let serverKey: ServerKey
    public let host: String
    public let port: Int
    public let bodyLimit: Int
    /// The zone the reservation service writes `validUntil` in.
    public let timeZone: TimeZone
    /// The one clock of the process: reservations are made, held and expire by it, and a test
    /// moves it on instead of waiting for a reservation to run out.
    public let clock: BackroomClock
    /// Seals the secrets the server must send on (an HTTP connector's token).
    public let secrets: SecretBox
    /// This server's certificate and key; nil for plain HTTP.
    public let tls: ServerTLS?
    /// On central, what stores' certificates are checked against when they are asked over
    /// `https://` (a store checks central's with its link's).
    public let storeTLS: OutboundTLS
    /// The proxies whose `X-Forwarded-For` names the client (`ClientAddress`).
    public let trustedProxies: [AddressRange]
    /// The folder ERP files connections must lie in.
    public let erpRoot: ErpRoot
    /// The internal hosts HTTP connectors may reach all the same.
    public let connectorAllow: ConnectorAllowList
    /// How long a connection may take over its request head or sit idle, and how many may be open.
    public let connections: ConnectionLimits

    public init(
        role: ServerRole,
        serverKey: ServerKey,
        host: String,
        port: Int,
        bodyLimit: Int = defaultBodyLimit,
        timeZone: TimeZone = TimeZone(identifier: "UTC")!,
        clock: BackroomClock,
        secrets: SecretBox = .ephemeral(),
        tls: ServerTLS? = nil,
        storeTLS: OutboundTLS = .system,
        trustedProxies: [AddressRange] = [],
        erpRoot: ErpRoot = ErpRoot(nil),
        connectorAllow: ConnectorAllowList = .none,
        connections: ConnectionLimits = ConnectionLimits()
    ) {
        self.connections = connections
        self.trustedProxies = trustedProxies
        self.erpRoot = erpRoot
        self.connectorAllow = connectorAllow
        self.secrets = secrets
        self.tls = tls
        self.storeTLS = storeTLS
        self.role = role
        self.serverKey = serverKey
        self.host = host
        self.port = port
        self.bodyLimit = bodyLimit
        self.timeZone = timeZone
        self.clock = clock
    }
}
