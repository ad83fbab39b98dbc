import BackroomCore
import HTTPTypes
import Hummingbird

/// A refusal in the agent's own shape: `{"Error": true, "ErrorType", "ErrorMessage",
/// "ErrorSource": "Backroom.ErpSync"}`, the message in the caller's language.
struct ErpSyncError: Error {
    /// What went wrong, which names the exception type and the status.
    enum Kind: Sendable {
        case argument, tooLarge, credentials, security, unknownMethod, notAcceptable, unsupportedMediaType, failure, throttled, unavailable

        var type: String {
            switch self {
            case .argument, .tooLarge: "ArgumentException"
            case .credentials, .throttled: "SoCredentialsException"
            case .security: "SoSecurityException"
            case .unknownMethod: "NotFound"
            case .notAcceptable: "NotAcceptable"
            case .unsupportedMediaType: "UnsupportedMediaType"
            case .failure, .unavailable: "Exception"
            }
        }

        var status: HTTPResponse.Status {
            switch self {
            case .argument: .badRequest
            case .tooLarge: .contentTooLarge
            case .credentials: .unauthorized
            case .security: .forbidden
            case .unknownMethod: .notFound
            case .notAcceptable: .notAcceptable
            case .unsupportedMediaType: .unsupportedMediaType
            case .failure: .internalServerError
            case .throttled: .tooManyRequests
            case .unavailable: .serviceUnavailable
            }
        }
    }

    let kind: Kind
    let message: ErpText
    /// Seconds for `Retry-After`.
    var retryAfter: Int?

    init(_ kind: Kind, _ message: ErpText) {
        self.kind = kind
        self.message = message
    }

    var status: HTTPResponse.Status { kind.status }

    func response(language: ErpLanguage) -> Response {
        let culture = ErpCulture(language: language, culture: nil, timeZone: .gmt)
        let body = ErpValue.object(
            type: "Error",
            [
                ErpProperty("Error", .bool(true)),
                ErpProperty("ErrorType", .string(kind.type)),
                ErpProperty("ErrorMessage", .string(message.text(in: language, culture: culture))),
                ErpProperty("ErrorSource", .string("Backroom.ErpSync")),
            ]
        )
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8", .contentLanguage: language.rawValue]
        if status == .unauthorized {
            headers.append(HTTPField(name: .wwwAuthenticate, value: EnvelopeErrorMiddleware<AppRequestContext>.challenge))
            headers.append(HTTPField(name: .wwwAuthenticate, value: #"Bearer realm="Backroom""#))
            headers.append(HTTPField(name: .wwwAuthenticate, value: #"SoTicket realm="Backroom""#))
        }
        if let retryAfter { headers.append(HTTPField(name: .retryAfter, value: String(retryAfter))) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body.jsonBytes)))
    }
}

/// Answers every failure behind it in the agent's error shape, so its clients never see
/// another one.
struct ErpSyncErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as ErpSyncError {
            return error.response(language: ErpSyncConventions.language(of: request))
        } catch let refusal as AccessRefusal {
            return Self.translated(refusal).response(language: ErpSyncConventions.language(of: request))
        } catch let error as any HTTPResponseError {
            return Self.translated(error).response(language: ErpSyncConventions.language(of: request))
        } catch  where error.isClientHangUp {
            throw error
        } catch {
            context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))"])
            return ErpSyncError(.failure, .internalError).response(language: ErpSyncConventions.language(of: request))
        }
    }

    /// A failure of the database for now, in the agent's shape and the caller's language.
    static var unavailableDatabase: UnavailableDatabaseMiddleware<Context> {
        UnavailableDatabaseMiddleware { request in
            ErpSyncError(.unavailable, .databaseUnavailable).response(language: ErpSyncConventions.language(of: request))
        }
    }

    /// Who may not come in, in the agent's words: each refusal says what was refused.
    private static func translated(_ refusal: AccessRefusal) -> ErpSyncError {
        switch refusal {
        case .authenticationRequired: ErpSyncError(.credentials, .authenticationRequired)
        case .xsrfProofMissing: ErpSyncError(.security, .xsrfMissing)
        case .lacksRight(let user, let rights):
            ErpSyncError(.security, .lacksRight(user: user, right: rights.first?.rawValue ?? Right.erpsync.rawValue))
        case .notOnShop(let user, _): ErpSyncError(.security, .lacksRight(user: user, right: Right.erpsync.rawValue))
        case .throttled(let seconds):
            {
                var error = ErpSyncError(.throttled, .tooManySignIns(seconds: seconds))
                error.retryAfter = seconds
                return error
            }()
        }
    }

    /// What the shared middlewares (body limit) refuse, in the agent's words.
    private static func translated(_ error: any HTTPResponseError) -> ErpSyncError {
        error.status == .contentTooLarge ? ErpSyncError(.tooLarge, .bodyTooLarge) : ErpSyncError(.failure, .internalError)
    }
}
