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

    var status: HTTPResponse.Status {
        self == .authenticationRequired ? .unauthorized : .forbidden
    }

    var message: String {
        switch self {
        case .authenticationRequired: "Authentication required"
        case .xsrfProofMissing: "A request signed in by session cookie must send header X-XSRF-TOKEN equal to the XSRF-TOKEN cookie"
        case .lacksRight(let user, let rights): "User \(user) lacks the right \(rights.map(\.rawValue).joined(separator: " or "))"
        case .notOnShop(let user, let shop): "User \(user) may not act on shop \(shop)"
        }
    }

    /// Outside a family's error middleware: Hummingbird's plain answer.
    func response(from request: Request, context: some RequestContext) throws -> Response {
        try HTTPError(status, message: message).response(from: request, context: context)
    }
}
