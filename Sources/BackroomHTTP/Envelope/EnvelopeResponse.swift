import Foundation
import Hummingbird

extension Envelope: ResponseGenerator {
    /// Sorted keys make every answer byte-for-byte repeatable, which replayed idempotent
    /// requests and clients that diff answers rely on.
    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = try Self.encoder.encode(self)
        return Response(
            status: HTTPResponse.Status(code: statusCode),
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: body))
        )
    }
}
