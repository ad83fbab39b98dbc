import Hummingbird

/// Refuses request bodies over the configured size with 413: at once when `Content-Length`
/// says so, otherwise when the body is read past the limit.
struct BodyLimitMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let limit: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > limit {
            throw HTTPError(.contentTooLarge, message: "The request body is larger than the server accepts (\(limit) bytes)")
        }
        var context = context
        context.maxUploadSize = limit
        return try await next(request, context)
    }
}
