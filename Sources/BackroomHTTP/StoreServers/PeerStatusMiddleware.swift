import BackroomCore
import Hummingbird

/// Refreshes the registry row of a server that calls this one, from the key and status it
/// sends along (`PeerIdentity`), so a store that talks to central often never needs probing.
struct PeerStatusMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let recorder: PeerStatusRecorder

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let keyText = request.headers[PeerIdentity.keyHeader], let key = try? ServerKey(keyText),
           let statusText = request.headers[PeerIdentity.statusHeader], let status = ServerStatus(rawValue: statusText) {
            await recorder.record(key, status, logger: context.logger)
        }
        return try await next(request, context)
    }
}
