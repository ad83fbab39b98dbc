import BackroomCore
import BackroomSync
import Hummingbird

/// Refreshes the registry row of a server that calls this one, from the key and status it
/// sends along (`PeerIdentity`), so a store that talks to central often never needs probing.
struct PeerStatusMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let recorder: PeerStatusRecorder
    /// Behind an authenticator: nothing is written for a caller that did not prove who it is.
    /// The status and ping services themselves take no credentials (store-servers.md).
    var onlyAuthenticated = false

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if !onlyAuthenticated || context.identity != nil, let caller = PeerIdentity.caller(in: request.headers) {
            await recorder.record(caller.key, caller.status, logger: context.logger)
        }
        return try await next(request, context)
    }
}
