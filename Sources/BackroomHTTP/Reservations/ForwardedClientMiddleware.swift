import BackroomCore
import BackroomSecurity
import BackroomStorage
import HTTPTypes
import Hummingbird

/// On central: a request a store forwards for a till or a web shop behind it counts under that
/// client's address, which the store vouches for with its own sync token; without a token
/// central knows, the header is ignored and the request counts under its peer, as any other.
struct ForwardedClientMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    static let clientAddress = HTTPField.Name(PeerHeaders.clientAddress)!
    static let storeToken = HTTPField.Name(PeerHeaders.storeToken)!

    let storage: any ServerRegistryStore

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let claimed = request.headers[Self.clientAddress].flatMap(NetworkAddress.init), let token = request.headers[Self.storeToken],
            try await storage.server(tokenFingerprint: SecretToken.fingerprint(token)) != nil
        else { return try await next(request, context) }
        var context = context
        context.clientAddress = claimed.description
        return try await next(request, context)
    }
}
