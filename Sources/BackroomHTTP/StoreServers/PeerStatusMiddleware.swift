import BackroomCore
import Hummingbird

/// Refreshes the registry row of a server that calls this one, from the key and status it
/// sends along (`PeerIdentity`), so a store that talks to central often never needs probing.
struct PeerStatusMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let recorder: PeerStatusRecorder

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let caller = PeerIdentity.caller(in: request.headers) {
            await recorder.record(caller.key, caller.status, logger: context.logger)
        }
        return try await next(request, context)
    }
}
