import BackroomCore
import Hummingbird
import HummingbirdAuth
import NIOCore

/// What every handler knows about its request besides the request itself.
public struct AppRequestContext: AuthRequestContext, RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: Principal?
    /// The fingerprint of the XSRF token of the session that signed the request in, if a
    /// session did: a console form's `xsrf` field must match this session's, not any cookie.
    public var sessionXSRFFingerprint: String?
    /// Set per route group by `BodyLimitMiddleware` from the server's configuration.
    public var maxUploadSize: Int
    /// The connection, so that a refused upload can stop it being read (`BodyLimitMiddleware`).
    public let channel: any Channel
    /// Who sent the request (`ClientAddress`): the peer until `ClientAddressMiddleware` looks
    /// behind a trusted proxy, or a store vouches for the client whose request it forwards.
    public var clientAddress: String

    public init(source: Source) {
        coreContext = .init(source: source)
        channel = source.channel
        identity = nil
        clientAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
        maxUploadSize = ServerSettings.defaultBodyLimit
    }
}
