import BackroomCore
import BackroomStorage
import Hummingbird

/// Answers every failure of the routes behind it in the envelope shape, so that clients of the
/// reservation service family never see another error format.
struct EnvelopeErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    static var challenge: String { #"Basic realm="Backroom""# }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as EnvelopeError {
            return Self.response(for: error)
        } catch StorageError.lockTimeout {
            return Self.response(for: .lockTimeout)
        } catch StorageError.stockOutOfBounds {
            return Self.response(for: .field("qty", StorageError.stockOutOfBounds.description))
        } catch let refusal as AccessRefusal {
            var response = Self.response(for: .coded(refusal.status, code: String(refusal.status.code), refusal.message))
            if let retryAfter = refusal.retryAfter { response.headers[.retryAfter] = retryAfter }
            return response
        } catch let error as any HTTPResponseError {
            let message = (error as? HTTPError)?.body ?? Self.defaultMessage(for: error.status)
            return Self.response(for: .coded(error.status, code: String(error.status.code), message))
        } catch is DecodingError {
            return Self.response(for: .field("body", "The request body is not valid JSON of the expected shape"))
        } catch  where error.isClientHangUp {
            throw error
        } catch {
            context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))"])
            return Self.response(for: .coded(.internalServerError, code: "500", "Internal server error"))
        }
    }

    /// A failure of the database for now, in this family's shape.
    static var unavailableDatabase: UnavailableDatabaseMiddleware<Context> {
        UnavailableDatabaseMiddleware { _ in
            response(for: .coded(.serviceUnavailable, code: "503", "The database cannot be reached at the moment; try again shortly"))
        }
    }

    static func response(for error: EnvelopeError) -> Response {
        let envelope = Envelope<Empty>(
            data: nil,
            statusCode: Int(error.status.code),
            errors: error.errors,
            exceptions: error.exceptions
        )
        var response = envelope.response()
        if error.status == .unauthorized {
            response.headers[.wwwAuthenticate] = challenge
        }
        return response
    }

    private static func defaultMessage(for status: HTTPResponse.Status) -> String {
        switch status {
        case .unauthorized: "Authentication required"
        case .forbidden: "Not allowed"
        case .notFound: "Not found"
        case .contentTooLarge: "The request body is larger than the server accepts"
        case .unsupportedMediaType: "The request body must be JSON"
        default: status.reasonPhrase
        }
    }

    private struct Empty: JSONRepresentable, Sendable {
        var json: JSONValue { .null }
    }
}
