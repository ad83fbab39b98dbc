import BackroomCore
import HTTPTypes
import Hummingbird

/// Sets the context's client address from the proxies the operator trusts (`--trusted-proxy`):
/// from one of them, the address its `X-Forwarded-For` or `Forwarded` names; from anyone else,
/// the peer, whatever the headers say.
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!
    static let forwarded = HTTPField.Name("Forwarded")!

    let trusted: [AddressRange]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard !trusted.isEmpty else { return try await next(request, context) }
        var context = context
        context.clientAddress = ClientAddress.resolve(
            peer: context.clientAddress,
            forwardedFor: request.headers[values: Self.forwardedFor],
            forwarded: request.headers[values: Self.forwarded],
            trusted: trusted
        )
        return try await next(request, context)
    }
}
