import BackroomCore
import BackroomTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Synchronization
import Testing

/// Failed sign-ins throttled over a real socket, in each family's own error shape, with the
/// moment of throttling in the audit log; and legitimate traffic untouched.
struct SignInThrottleEndpointTests {
    /// Any route that needs a signed-in user.
    static let me = "/api/v1/me"

    @Test(arguments: TestDatabase.allCases)
    func fiveFailuresThrottleTheAddressUntilTheWindowPasses(_ database: TestDatabase) async throws {
        let now = Atomic<Int64>(1_900_000_000_000)
        let clock = BackroomClock { now.load(ordering: .relaxed) }
        try await LiveServer.run(on: database, clock: clock) { client, _ async throws in
            for attempt in 1...5 {
                let wrong = try await client.call(.get, Self.me, headers: LiveServer.basic("tje0", "guess\(attempt)"))
                #expect(wrong.status == .unauthorized, "attempt \(attempt)")
            }
            // The right password, from the throttled address: refused, in the envelope.
            let refused = try await client.call(.get, Self.me, headers: LiveServer.basic("tje0", "Tje0"))
            #expect(refused.status == .tooManyRequests)
            #expect(refused.headers[.retryAfter] == "900")
            #expect(try refused.json["statusCode"] as? Int == 429)
            // Another user from the same address too, and the admin API.
            #expect(try await client.call(.get, "/api/v1/preferences", headers: LiveServer.basic("admin", "admin")).status == .tooManyRequests)

            let audit = try await client.call(.get, "/api/v1/audit", headers: [.authorization: "Bearer nothing-to-see"])
            #expect(audit.status == .tooManyRequests, "tokens from the address too")

            now.store(1_900_000_000_000 + SignInThrottle.windowMillis, ordering: .relaxed)
            let again = try await client.call(.get, Self.me, headers: LiveServer.basic("tje0", "Tje0"))
            #expect(again.status == .ok, "the window has passed")
            let log = try await client.call(.get, "/api/v1/audit", headers: LiveServer.basic("admin", "admin"))
            let entries = try #require(try log.json["data"] as? [[String: Any]]).filter { $0["action"] as? String == "signin.throttled" }
            #expect(Set(entries.compactMap { $0["target"] as? String }) == ["address 127.0.0.1", "user tje0 at 127.0.0.1"])
            #expect(entries.allSatisfy { $0["actor"] as? String == "tje0" && $0["origin"] as? String == "127.0.0.1" })
        }
    }

    @Test func theAgentAndTheConsoleAnswerThrottlingInTheirOwnShapes() async throws {
        try await LiveServer.run(on: .sqlite) { client, _ async throws in
            for attempt in 1...5 {
                let form = try await client.call(
                    .post, "/signin", body: "user=admin&password=guess\(attempt)", headers: [.contentType: "application/x-www-form-urlencoded"]
                )
                #expect(form.status == .unauthorized)
            }
            let page = try await client.call(.post, "/signin", body: "user=admin&password=admin", headers: [.contentType: "application/x-www-form-urlencoded"])
            #expect(page.status == .tooManyRequests && page.headers[.retryAfter] != nil)
            #expect(page.text.contains("Too many failed sign-ins from this address"))

            let agent = try await client.call(
                .post, "/api/v1/Agents/ErpSync/GetEngineStatus", body: "{}",
                headers: [.authorization: "SoTicket whatever", .contentType: "application/json"]
            )
            #expect(agent.status == .tooManyRequests && agent.headers[.retryAfter] != nil)
            #expect(try agent.json["ErrorType"] as? String == "SoCredentialsException")
            #expect((try agent.json["ErrorMessage"] as? String)?.hasPrefix("Too many failed sign-ins") == true)

            let session = try await client.call(
                .post, "/api/v1/login", body: #"{"user": "admin", "password": "admin"}"#, headers: [.contentType: "application/json"]
            )
            #expect(session.status == .tooManyRequests)
        }
    }

    @Test func theLimitIsAPreference() async throws {
        try await LiveServer.run(on: .sqlite) { client, storage async throws in
            try await storage.setPreference(.signInFailureLimit, value: 2)
            for attempt in 1...2 {
                #expect(try await client.call(.get, Self.me, headers: LiveServer.basic("tje0", "guess\(attempt)")).status == .unauthorized)
            }
            #expect(try await client.call(.get, Self.me, headers: LiveServer.basic("tje0", "Tje0")).status == .tooManyRequests)
        }
    }

    @Test func aClientThatAuthenticatesEveryRequestIsNeverThrottled() async throws {
        try await LiveServer.run(on: .sqlite) { client, _ async throws in
            try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<200 {
                    group.addTask { try await client.call(.get, Self.me, headers: LiveServer.basic("tje0", "Tje0")).status }
                }
                for try await status in group { #expect(status == .ok) }
            }
            // Four failures and a success: no throttling, the success counts for nothing.
            for attempt in 1...4 {
                #expect(try await client.call(.get, Self.me, headers: LiveServer.basic("tje0", "guess\(attempt)")).status == .unauthorized)
            }
            #expect(try await client.call(.get, Self.me, headers: LiveServer.basic("tje0", "Tje0")).status == .ok)
        }
    }
}
