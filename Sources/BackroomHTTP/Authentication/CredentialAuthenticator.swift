import BackroomCore
import BackroomSecurity
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth

/// The ways a caller can prove who it is; each API family accepts its own subset.
public struct AuthenticationSchemes: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let basic = AuthenticationSchemes(rawValue: 1 << 0)
    public static let bearer = AuthenticationSchemes(rawValue: 1 << 1)
    /// `Authorization: SoTicket TOKEN`, the CRM's own scheme, with a Backroom API token.
    public static let soTicket = AuthenticationSchemes(rawValue: 1 << 2)
    /// The dashboard's `backroom_session` cookie, with `X-XSRF-TOKEN` where it changes anything.
    public static let session = AuthenticationSchemes(rawValue: 1 << 3)

    public static let all: AuthenticationSchemes = [.basic, .bearer, .soTicket, .session]
}

enum SessionCookie {
    static let session = "backroom_session"
    static let xsrf = "XSRF-TOKEN"
    static let xsrfHeader = HTTPField.Name("X-XSRF-TOKEN")!
}

/// Finds out who sends a request. It never refuses one itself (but for a session cookie
/// without its XSRF header): routes decide whether they need a principal, and the family's
/// error middleware words the 401 or 403.
struct CredentialAuthenticator: RouterMiddleware {
    typealias Context = AppRequestContext

    /// Passwords and tokens, throttled; `verifier` for session cookies, which nobody guesses.
    let signIn: SignInGuard
    let verifier: CredentialVerifier
    let schemes: AuthenticationSchemes
    /// Whether a request authenticated by its session cookie alone must prove it came from a
    /// page of ours; by default every request that may change something.
    var needsXSRFProof: @Sendable (Request) -> Bool = { request in
        ![.get, .head, .options].contains(request.method)
    }

    /// Signs the request in by its `Authorization` header or its session cookie, keeping a
    /// session's XSRF fingerprint in the context for the console's forms.
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let authorization = request.headers[.authorization] {
            context.identity = try await principal(authorization: authorization, from: context.clientAddress)
        } else if schemes.contains(.session), let token = request.cookies[SessionCookie.session]?.value,
            let (principal, xsrfFingerprint) = try await verifier.session(token: token)
        {
            if needsXSRFProof(request) {
                guard let proof = request.headers[SessionCookie.xsrfHeader], SecretToken.fingerprint(proof) == xsrfFingerprint else {
                    throw AccessRefusal.xsrfProofMissing
                }
            }
            context.identity = principal
            context.sessionXSRFFingerprint = xsrfFingerprint
        }
        return try await next(request, context)
    }

    private func principal(authorization: String, from address: String) async throws -> Principal? {
        let parts = authorization.split(separator: " ", maxSplits: 1)
        guard parts.count == 2 else { return nil }
        let credential = String(parts[1].trimmingOptionalWhitespace)
        switch parts[0].lowercased() {
        case "basic" where schemes.contains(.basic):
            guard let (user, password) = Self.decodeBasic(credential) else { return nil }
            return try await signIn.principal(user: user, password: password, from: address)
        case "bearer" where schemes.contains(.bearer), "soticket" where schemes.contains(.soTicket):
            return try await signIn.principal(apiToken: credential, from: address)
        default:
            return nil
        }
    }

    private static func decodeBasic(_ credential: String) -> (user: String, password: String)? {
        guard let data = Data(base64Encoded: credential), let text = String(data: data, encoding: .utf8),
            let colon = text.firstIndex(of: ":")
        else { return nil }
        return (String(text[..<colon]), String(text[text.index(after: colon)...]))
    }
}
