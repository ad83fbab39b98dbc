import BackroomCore
import HTTPTypes
import Hummingbird

/// A refusal in the agent's own shape: `{"Error": true, "ErrorType", "ErrorMessage",
/// "ErrorSource": "Backroom.ErpSync"}`, the message in the caller's language.
struct ErpSyncError: Error {
    let status: HTTPResponse.Status
    let type: String
    let message: ErpText

    init(_ status: HTTPResponse.Status, type: String, _ message: ErpText) {
        self.status = status
        self.type = type
        self.message = message
    }

    func response(language: ErpLanguage) -> Response {
        let culture = ErpCulture(language: language, culture: nil, timeZone: .gmt)
        let body = ErpValue.object(type: "Error", [
            ErpProperty("Error", .bool(true)),
            ErpProperty("ErrorType", .string(type)),
            ErpProperty("ErrorMessage", .string(message.text(in: language, culture: culture))),
            ErpProperty("ErrorSource", .string("Backroom.ErpSync")),
        ])
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8", .contentLanguage: language.rawValue]
        if status == .unauthorized {
            headers.append(HTTPField(name: .wwwAuthenticate, value: EnvelopeErrorMiddleware<AppRequestContext>.challenge))
            headers.append(HTTPField(name: .wwwAuthenticate, value: #"Bearer realm="Backroom""#))
            headers.append(HTTPField(name: .wwwAuthenticate, value: #"SoTicket realm="Backroom""#))
        }
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
        } catch let error as any HTTPResponseError {
            return Self.translated(error).response(language: ErpSyncConventions.language(of: request))
        } catch {
            context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))"])
            return ErpSyncError(.internalServerError, type: "Exception", .internalError).response(language: ErpSyncConventions.language(of: request))
        }
    }

    /// What the shared middlewares (authentication, body limit) refuse, in the agent's words.
    private static func translated(_ error: any HTTPResponseError) -> ErpSyncError {
        switch error.status {
        case .unauthorized: ErpSyncError(.unauthorized, type: "SoCredentialsException", .authenticationRequired)
        case .forbidden: ErpSyncError(.forbidden, type: "SoSecurityException", .xsrfMissing)
        case .contentTooLarge: ErpSyncError(.contentTooLarge, type: "ArgumentException", .bodyTooLarge)
        default: ErpSyncError(error.status, type: "Exception", .internalError)
        }
    }
}
