import AsyncHTTPClient
import BackroomTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

struct HealthTests {
    @Test(arguments: TestDatabase.allCases)
    func healthNamesRoleKeyAndDatabase(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, _ in
            let response = try await client.executeRequest(uri: "/health", method: .get, headers: [:], body: nil)
            #expect(response.status == .ok)
            let report = try response.json
            #expect(report["status"] as? String == "ok")
            #expect(report["role"] as? String == "central")
            #expect(report["serverKey"] as? String == "CENTRAL")
            let databaseReport = try #require(report["database"] as? [String: Any])
            #expect(databaseReport["kind"] as? String == database.rawValue)
            #expect((databaseReport["version"] as? String)?.isEmpty == false)
        }
    }
}

struct MetricsTests {
    @Test func requestsAreCountedAndTimedPerRoute() async throws {
        try await LiveServer.run(on: .sqlite) { client, _ in
            _ = try await client.executeRequest(uri: "/health", method: .get, headers: [:], body: nil)
            _ = try await client.executeRequest(uri: "/api/v1/me", method: .get, headers: [:], body: nil)
            let response = try await client.executeRequest(uri: "/metrics", method: .get, headers: [:], body: nil)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            let text = String(buffer: response.body)
            #expect(text.contains(#"hb_requests{http_route="/health",http_request_method="GET",http_response_status_code="200"}"#))
            #expect(text.contains(#"hb_requests{http_route="/api/v1/me",http_request_method="GET",http_response_status_code="401"}"#))
            #expect(
                text.contains(
                    #"http_server_request_duration_bucket{http_route="/health",http_request_method="GET",http_response_status_code="200",le="0.005"}"#
                )
            )
        }
    }
}

struct RequestLogTests {
    @Test func oneLinePerRequestAndNoCredentialEver() async throws {
        let recorder = LogRecorder()
        try await LiveServer.run(on: .sqlite, logger: recorder.logger) { client, _ in
            _ = try await client.executeRequest(uri: "/api/v1/me?debug=1", method: .get, headers: LiveServer.basic("tje0", "Tje0"), body: nil)
            _ = try await client.executeRequest(
                uri: "/api/v1/login",
                method: .post,
                headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"user": "tje0", "password": "Tje0"}"#)
            )
        }
        let requests = recorder.records.filter { $0.message == "request" }
        #expect(requests.count == 2)
        let me = try #require(requests.first)
        #expect(me.metadata["method"] == "GET")
        #expect(me.metadata["path"] == "/api/v1/me")
        #expect(me.metadata["status"] == "200")
        #expect(me.metadata["hb.request.id"]?.isEmpty == false)
        #expect(Double(me.metadata["duration_ms"] ?? "") != nil)
        let everything = recorder.records.map(\.text).joined(separator: "\n")
        #expect(!everything.contains("Tje0"))
        #expect(!everything.contains(Data("tje0:Tje0".utf8).base64EncodedString()))
        #expect(!everything.lowercased().contains("authorization"))
    }
}

struct BodyLimitTests {
    @Test func aDeclaredBodyOverTheLimitIsRefusedWith413() async throws {
        try await LiveServer.run(on: .sqlite, bodyLimit: 64) { client, _ in
            let body = #"{"user": "tje0", "password": "\#(String(repeating: "x", count: 100))"}"#
            let response = try await client.executeRequest(
                uri: "/api/v1/login",
                method: .post,
                headers: [.contentType: "application/json"],
                body: ByteBuffer(string: body)
            )
            #expect(response.status == .contentTooLarge)
            let envelope = try response.json
            #expect(envelope["statusCode"] as? Int == 413)
            #expect(envelope["data"] is NSNull)
        }
    }

    @Test func aChunkedBodyIsCutOffAtTheLimit() async throws {
        try await LiveServer.run(on: .sqlite, bodyLimit: 64) { client, _ in
            let port = try #require(client.port)
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/api/v1/login")
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            let chunks = [#"{"user": "tje0", "#, #""password": "\#(String(repeating: "x", count: 100))"}"#]
            request.body = .stream(chunks.map { ByteBuffer(string: $0) }.async, length: .unknown)
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
            #expect(response.status.code == 413)
        }
    }

    @Test func aBodyUnderTheLimitPasses() async throws {
        try await LiveServer.run(on: .sqlite, bodyLimit: 64) { client, _ in
            let response = try await client.executeRequest(
                uri: "/api/v1/login",
                method: .post,
                headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"user": "tje0", "password": "Tje0"}"#)
            )
            #expect(response.status == .ok)
        }
    }
}
