import BackroomCore
import BackroomStorage
import Hummingbird

/// Refreshes the registry row of a server that calls this one, from the key and status it
/// sends along (`PeerIdentity`), so a store that talks to central often never needs probing.
struct PeerStatusMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let storage: any BackroomStorage
    let own: ServerKey

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let keyText = request.headers[PeerIdentity.keyHeader], let key = try? ServerKey(keyText), key != own,
           let statusText = request.headers[PeerIdentity.statusHeader], let status = ServerStatus(rawValue: statusText) {
            do {
                try await storage.recordServerStatus(key, status, at: Clock.nowMillis(), reason: nil)
            } catch {
                // The request itself does not depend on this bookkeeping.
                context.logger.warning("could not record a caller's status", metadata: ["server": "\(key)", "error": "\(error)"])
            }
        }
        return try await next(request, context)
    }
}
