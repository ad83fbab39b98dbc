import Hummingbird
import Logging
import Metrics
import NIOCore
import NIOHTTP1

/// A client that hangs up mid-request is no server error (the spec's "HTTP behaviour common to
/// every family"): what failed for want of its connection is logged as a hang-up, counted in
/// `backroom_http_client_hangups_total` and answered 499 (which nobody reads) instead of 5xx.
struct HangUpMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    /// nginx's word for it; never on the wire, only in the request log and the metrics.
    static let clientClosedRequest = HTTPResponse.Status(code: 499, reasonPhrase: "Client Closed Request")

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            let response = try await next(request, context)
            guard response.status.kind == .serverError, context.clientHungUp else { return response }
            return Self.hungUp(context)
        } catch  where error.isClientHangUp || context.clientHungUp {
            return Self.hungUp(context)
        }
    }

    private static func hungUp(_ context: Context) -> Response {
        Counter(label: "backroom_http_client_hangups_total").increment()
        context.logger.notice("client hung up before its request was answered")
        return Response(status: clientClosedRequest)
    }
}

extension AppRequestContext {
    /// Whether the client's connection is gone.
    var clientHungUp: Bool {
        !channel.isActive
    }
}

extension Error {
    /// A failure that says the client went away: its request ended before its body did, or
    /// its connection closed under the answer. The family error middlewares pass it on to
    /// `HangUpMiddleware` rather than answer it as a server error.
    var isClientHangUp: Bool {
        if let parser = self as? HTTPParserError { return parser == .invalidEOFState }
        if let channel = self as? ChannelError { return [.eof, .ioOnClosedChannel, .outputClosed, .inputClosed].contains(channel) }
        return false
    }
}
