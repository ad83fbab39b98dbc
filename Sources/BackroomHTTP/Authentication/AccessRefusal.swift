import BackroomCore
import Hummingbird

/// Why a request was refused access, so that every family answers it in its own words: the
/// envelope with the message below, the agent with its own exception type and language.
enum AccessRefusal: HTTPResponseError, Equatable {
    case authenticationRequired
    /// Signed in by session cookie, without the `X-XSRF-TOKEN` proof that the page sent it.
    case xsrfProofMissing
    case lacksRight(user: String, rights: [Right])
    case notOnShop(user: String, shop: Int)
    /// Too many failed sign-ins from the caller's address (or by the user there) of late.
    case throttled(retryAfterSeconds: Int)

    var status: HTTPResponse.Status {
        switch self {
        case .authenticationRequired: .unauthorized
        case .throttled: .tooManyRequests
        default: .forbidden
        }
    }

    /// `Retry-After`, for a throttled attempt.
    var retryAfter: String? {
        if case .throttled(let seconds) = self { String(seconds) } else { nil }
    }

    var message: String {
        switch self {
        case .authenticationRequired: "Authentication required"
        case .xsrfProofMissing: "A request signed in by session cookie must send header X-XSRF-TOKEN equal to the XSRF-TOKEN cookie"
        case .lacksRight(let user, let rights): "User \(user) lacks the right \(rights.map(\.rawValue).joined(separator: " or "))"
        case .notOnShop(let user, let shop): "User \(user) may not act on shop \(shop)"
        case .throttled(let seconds): "Too many failed sign-ins from this address; try again in \(seconds) s"
        }
    }

    /// Outside a family's error middleware: Hummingbird's plain answer.
    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try HTTPError(status, message: message).response(from: request, context: context)
        if let retryAfter { response.headers[.retryAfter] = retryAfter }
        return response
    }
}
