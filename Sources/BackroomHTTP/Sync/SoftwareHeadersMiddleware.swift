import BackroomCore
import HTTPTypes
import Hummingbird

/// Stamps this server's release and sync protocol (`PeerSoftware`) on every answer of the sync
/// family, refusals included, so that a store reads what its central speaks before it uses an
/// answer.
struct SoftwareHeadersMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    static let version = HTTPField.Name(PeerHeaders.version)!
    static let syncProtocol = HTTPField.Name(PeerHeaders.syncProtocol)!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return Self.stamped(try await next(request, context))
        } catch let error as any HTTPResponseError {
            return Self.stamped(try error.response(from: request, context: context))
        }
    }

    static func stamped(_ response: Response) -> Response {
        var response = response
        response.headers[version] = PeerSoftware.current.version
        response.headers[syncProtocol] = String(PeerSoftware.current.syncProtocol)
        return response
    }

    /// What a caller's headers say it runs.
    static func software(in headers: HTTPFields) -> PeerSoftware? {
        PeerSoftware(version: headers[version], syncProtocol: headers[syncProtocol])
    }
}
