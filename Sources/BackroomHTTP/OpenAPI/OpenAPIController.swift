import BackroomCore
import Hummingbird

/// `GET /openapi.json`, without authentication: the document of this role, made once.
struct OpenAPIController {
    let document: ByteBuffer

    init(role: ServerRole) {
        document = ByteBuffer(bytes: JSONWriter.bytes(of: OpenAPIDocument.json(role: role)))
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        let document = document
        router.get("openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: "max-age=300"], body: .init(byteBuffer: document))
        }
    }
}
