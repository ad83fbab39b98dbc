import Hummingbird

/// A console route asked without a session, a form as a page, is sent to the sign-in page: a
/// browser whose session ran out lands where it can sign in again, never on a JSON refusal.
struct ConsoleSignInRedirect: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch AccessRefusal.authenticationRequired {
            return ConsoleController.redirect(to: "/signin")
        }
    }
}
