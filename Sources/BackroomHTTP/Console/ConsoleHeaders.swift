import HTTPTypes
import Hummingbird

/// What the console's answers tell the browser, beyond `SecurityHeaders`: run no script and
/// load nothing but the console's own, never inside a frame; over HTTPS, come back over HTTPS
/// only (HSTS, a year).
struct ConsoleHeaders<Context: RequestContext>: RouterMiddleware {
    /// Whether the server speaks HTTPS.
    let strictTransport: Bool

    static var policy: String {
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'"
    }

    static var frameOptions: HTTPField.Name { HTTPField.Name("X-Frame-Options")! }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = Self.policy
        response.headers[Self.frameOptions] = "DENY"
        if strictTransport { response.headers[.strictTransportSecurity] = "max-age=31536000" }
        return response
    }
}
