import BackroomCore
import Hummingbird

/// Reads the JSON body of a request to the envelope family, refusing other media types.
enum JSONRequestBody {
    static func read(_ request: Request, context: AppRequestContext) async throws -> JSONValue {
        guard isAccepted(request.headers[.contentType]) else {
            throw EnvelopeError.coded(.unsupportedMediaType, code: "415", "The request body must be JSON (Content-Type: application/json)")
        }
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        do {
            return try JSONReader.read(body.readableBytesView)
        } catch {
            throw EnvelopeError.field("body", "The request body is \(error)")
        }
    }

    /// The body, which must be a JSON object.
    static func readObject(_ request: Request, context: AppRequestContext) async throws -> JSONValue {
        let body = try await read(request, context: context)
        guard case .object = body else { throw EnvelopeError.field("body", "The request body must be a JSON object") }
        return body
    }

    /// The body read by `parse`, whose field problems are answered 400 naming each field.
    static func read<Value>(
        _ request: Request,
        context: AppRequestContext,
        as parse: (JSONValue) throws(InvalidInput) -> Value
    ) async throws -> Value {
        let body = try await read(request, context: context)
        do {
            return try parse(body)
        } catch {
            throw EnvelopeError.fields(error.problems)
        }
    }

    /// `application/json` with any parameters, or any `application/*+json`. Also the form type
    /// that wget and curl send by default for `--post-data` / `-d`: the reservation service's own
    /// documentation posts JSON that way, so such a body is read as JSON too (and refused with
    /// 400 when it is not).
    static func isAccepted(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let mediaType = contentType.split(separator: ";").first.map { $0.trimmingOptionalWhitespace.lowercased() } ?? ""
        return mediaType == "application/json" || mediaType == "application/x-www-form-urlencoded"
            || (mediaType.hasPrefix("application/") && mediaType.hasSuffix("+json"))
    }
}
