import BackroomCore
import Hummingbird

extension Envelope: ResponseGenerator {
    func response(from request: Request, context: some RequestContext) throws -> Response {
        response()
    }

    func response() -> Response {
        Response(
            status: HTTPResponse.Status(code: statusCode),
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: JSONWriter.bytes(of: json)))
        )
    }
}
