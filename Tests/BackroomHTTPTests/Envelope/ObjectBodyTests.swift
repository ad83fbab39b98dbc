import BackroomTestSupport
import HTTPTypes
import HummingbirdTesting
import Testing

/// Operations that take a JSON object refuse any other JSON (found by schemathesis: an array
/// was read as no fields and the request answered as if empty).
struct ObjectBodyTests {
    @Test(arguments: [
        (HTTPRequest.Method.post, "/api/v1/tokens"), (.patch, "/api/v1/engine"), (.put, "/api/v1/preferences/OBMOBC_Ping_Periodicity"),
        (.post, "/api/v1/servers/VALLBLANCA/token"), (.post, "/api/v1/connections"),
    ])
    func anythingButAnObjectIs400(_ method: HTTPRequest.Method, _ path: String) async throws {
        try await LiveServer.run(on: .sqlite) { client, _ async throws in
            var headers = LiveServer.basic("admin", "admin")
            headers[.contentType] = "application/json"
            for body in ["[null, null]", "true", "\"text\""] {
                let answer = try await client.call(method, path, body: body, headers: headers)
                #expect(answer.status == .badRequest, "\(method) \(path) with \(body)")
            }
        }
    }
}
