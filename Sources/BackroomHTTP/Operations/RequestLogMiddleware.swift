import BackroomCore
import Hummingbird

/// One log line per request: request id, client address, method, path, status, duration.
///
/// Only the path is logged, never the query, headers or body, so that no credential can end up
/// in a log file.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let clock: BackroomClock

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = clock.now
        do {
            let response = try await next(request, context)
            log(request, context, status: response.status, since: start)
            return response
        } catch {
            log(request, context, status: (error as? any HTTPResponseError)?.status ?? .internalServerError, since: start)
            throw error
        }
    }

    private func log(_ request: Request, _ context: Context, status: HTTPResponse.Status, since start: BackroomClock.Instant) {
        let elapsed = start.duration(to: clock.now)
        let millis = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        context.logger.info(
            "request",
            metadata: [
                "client": "\(context.clientAddress)",
                "method": "\(request.method.rawValue)",
                "path": "\(request.uri.path)",
                "status": "\(status.code)",
                "duration_ms": "\((millis * 1000).rounded() / 1000)",
            ]
        )
    }
}
