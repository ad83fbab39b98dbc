import BackroomStorage
import Hummingbird

/// Answers a request that failed because the database cannot be used for now (a failover under
/// way, say) with 503 and `Retry-After: 1`, in the API family's own shape (`answer`), rather
/// than as an internal error: the client may try again, and gets the same answer it would have.
struct UnavailableDatabaseMiddleware<Context: RequestContext>: RouterMiddleware {
    let answer: @Sendable (Request) -> Response

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch  where StorageError.isUnavailability(error) {
            context.logger.warning("the database cannot be used for now", metadata: ["error": "\(error)"])
            var response = answer(request)
            response.headers[.retryAfter] = "1"
            return response
        }
    }
}
