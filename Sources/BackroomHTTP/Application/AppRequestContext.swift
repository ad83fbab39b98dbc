import BackroomCore
import Hummingbird
import HummingbirdAuth

/// What every handler knows about its request besides the request itself.
public struct AppRequestContext: AuthRequestContext, RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: Principal?
    /// Set per route group by `BodyLimitMiddleware` from the server's configuration.
    public var maxUploadSize: Int

    public init(source: Source) {
        coreContext = .init(source: source)
        identity = nil
        maxUploadSize = ServerSettings.defaultBodyLimit
    }
}
