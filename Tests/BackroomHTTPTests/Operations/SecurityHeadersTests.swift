import BackroomTestSupport
import HTTPTypes
import HummingbirdTesting
import Testing

/// Every answer, of every family, a success or a refusal, says to guess no content type and to
/// send no referrer onwards.
struct SecurityHeadersTests {
    @Test func everyAnswerCarriesThem() async throws {
        try await LiveServer.run(on: .sqlite) { client, _ async throws in
            let answers = [
                try await client.call(.get, "/health"),
                try await client.call(.get, "/metrics"),
                try await client.call(.get, "/no/such/route"),
                try await client.call(.post, "/servlets/services/reservation/10010", body: "{}"),
                try await client.call(.get, "/api/v1/me", headers: LiveServer.basic("tje0", "Tje0")),
                try await client.call(.post, "/api/v1/Agents/ErpSync/GetEngineStatus", body: "{}", headers: [.contentType: "application/json"]),
                try await client.call(.get, "/signin"),
                try await client.call(.post, "/sync/v1/push", body: "{}"),
            ]
            #expect(answers.map(\.status.code) == [200, 200, 404, 400, 200, 401, 200, 401])
            for answer in answers {
                #expect(answer.headers[.xContentTypeOptions] == "nosniff")
                #expect(answer.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
            }
        }
    }
}
