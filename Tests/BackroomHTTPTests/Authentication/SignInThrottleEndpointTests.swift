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
                    .post,
                    "/signin",
                    body: "user=admin&password=guess\(attempt)",
                    headers: [.contentType: "application/x-www-form-urlencoded"]
                )
                #expect(form.status == .unauthorized)
            }
            let page = try await client.call(
                .post,
                "/signin",
                body: "user=admin&password=admin",
                headers: [.contentType: "application/x-www-form-urlencoded"]
            )
            #expect(page.status == .tooManyRequests && page.headers[.retryAfter] != nil)
            #expect(page.text.contains("Too many failed sign-ins from this address"))

            let agent = try await client.call(
                .post,
                "/api/v1/Agents/ErpSync/GetEngineStatus",
                body: "{}",
                headers: [.authorization: "SoTicket whatever", .contentType: "application/json"]
            )
            #expect(agent.status == .tooManyRequests && agent.headers[.retryAfter] != nil)
            #expect(try agent.json["ErrorType"] as? String == "SoCredentialsException")
            #expect((try agent.json["ErrorMessage"] as? String)?.hasPrefix("Too many failed sign-ins") == true)

            let session = try await client.call(
                .post,
                "/api/v1/login",
                body: #"{"user": "admin", "password": "admin"}"#,
                headers: [.contentType: "application/json"]
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

    /// Issue 24, point 2: twelve wrong guesses from the web shop's address no longer stop the
    /// web shop's own good credentials (they stopped every checkout for 15 minutes).
    @Test(arguments: TestDatabase.allCases)
    func aStrangerBehindTheSameAddressCannotLockTheWebShopOut(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, _ async throws in
            #expect(try await client.call(.get, "/servlets/services/atp/10010/First-Test").status == .ok, "the web shop signs in")
            for attempt in 1...12 {
                let guess = try await client.call(.get, Self.me, headers: LiveServer.basic("admin", "guess\(attempt)"))
                #expect([.unauthorized, .tooManyRequests].contains(guess.status))
            }
            #expect(try await client.call(.get, "/servlets/services/atp/10010/First-Test").status == .ok, "the web shop goes on")
            #expect(try await client.reserve(#"{"items": [{"id": "First-Test", "qty": 1}]}"#).status == .created)
            // The guessed user and anyone never seen at the address are refused, a right password too.
            #expect(try await client.call(.get, Self.me, headers: LiveServer.basic("admin", "admin")).status == .tooManyRequests)
        }
    }

    /// Behind a trusted proxy each client is throttled under its own address; a header from
    /// anyone else is ignored.
    @Test func behindATrustedProxyTheForwardedClientIsThrottled() async throws {
        try await LiveServer.run(on: .sqlite, trustedProxies: [try #require(AddressRange("127.0.0.0/8"))]) { client, _ async throws in
            func from(_ address: String, _ user: String, _ password: String) -> HTTPFields {
                var headers = LiveServer.basic(user, password)
                headers[HTTPField.Name("X-Forwarded-For")!] = "192.0.2.99, \(address)"
                return headers
            }
            for attempt in 1...5 {
                #expect(try await client.call(.get, Self.me, headers: from("203.0.113.5", "admin", "guess\(attempt)")).status == .unauthorized)
            }
            #expect(try await client.call(.get, Self.me, headers: from("203.0.113.5", "admin", "admin")).status == .tooManyRequests)
            #expect(try await client.call(.get, Self.me, headers: from("203.0.113.6", "admin", "admin")).status == .ok, "another client")
            #expect(try await client.call(.get, Self.me, headers: LiveServer.basic("admin", "admin")).status == .ok, "the proxy itself")
            let log = try await client.call(.get, "/api/v1/audit", headers: LiveServer.basic("admin", "admin"))
            let entries = try #require(try log.json["data"] as? [[String: Any]]).filter { $0["action"] as? String == "signin.throttled" }
            #expect(entries.contains { $0["target"] as? String == "address 203.0.113.5" && $0["origin"] as? String == "203.0.113.5" })
        }
        try await LiveServer.run(on: .sqlite) { client, _ async throws in
            for attempt in 1...5 {
                var headers = LiveServer.basic("admin", "guess\(attempt)")
                headers[HTTPField.Name("X-Forwarded-For")!] = "198.51.100.\(attempt)"
                #expect(try await client.call(.get, Self.me, headers: headers).status == .unauthorized)
            }
            var headers = LiveServer.basic("admin", "admin")
            headers[HTTPField.Name("X-Forwarded-For")!] = "198.51.100.77"
            #expect(try await client.call(.get, Self.me, headers: headers).status == .tooManyRequests, "no proxy trusted: the header is ignored")
        }
    }

    /// A store forwards its tills' and web shop's reservations with the client's address under
    /// its own sync token; central counts the client, not the store.
    @Test(arguments: TestDatabase.allCases)
    func aForwardedRequestCountsUnderTheClientTheStoreVouchesFor(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, _ async throws in
            func forwarded(for address: String, _ user: String, _ password: String, token: String = "demo-vallblanca-token") -> HTTPFields {
                var headers = LiveServer.basic(user, password)
                headers[HTTPField.Name(PeerHeaders.clientAddress)!] = address
                headers[HTTPField.Name(PeerHeaders.storeToken)!] = token
                return headers
            }
            let atp = "/servlets/services/atp/10010/First-Test"
            for attempt in 1...5 {
                #expect(try await client.call(.get, atp, headers: forwarded(for: "198.51.100.1", "tje0", "guess\(attempt)")).status == .unauthorized)
            }
            #expect(try await client.call(.get, atp, headers: forwarded(for: "198.51.100.1", "tje0", "Tje0")).status == .tooManyRequests)
            #expect(try await client.call(.get, atp, headers: forwarded(for: "198.51.100.2", "tje0", "Tje0")).status == .ok, "another till")
            #expect(
                try await client.call(.get, atp, headers: LiveServer.basic("tje0", "Tje0")).status == .ok,
                "the store's own address is not throttled"
            )
            // Without the store's token the claimed address is ignored: the failures count under the peer.
            for attempt in 1...5 {
                let headers = forwarded(for: "198.51.100.\(10 + attempt)", "admin", "guess\(attempt)", token: "not-a-token")
                #expect(try await client.call(.get, atp, headers: headers).status == .unauthorized)
            }
            #expect(try await client.call(.get, Self.me, headers: LiveServer.basic("admin", "admin")).status == .tooManyRequests)
        }
    }

    /// The old password of a change of one's own is a sign-in: counted and throttled. A new
    /// password ends the user's other sessions.
    @Test(arguments: TestDatabase.allCases)
    func aPasswordChangeIsASignInAndEndsTheOtherSessions(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, _ async throws in
            let first = try await Self.tje0Session(client)
            let second = try await Self.tje0Session(client)
            for attempt in 1...5 {
                let wrong = try await client.call(
                    .patch,
                    "/api/v1/users/tje0",
                    body: #"{"oldPassword": "guess\#(attempt)", "password": "New-pass-1"}"#,
                    headers: first
                )
                #expect(wrong.status == .badRequest)
            }
            let throttled = try await client.call(
                .patch,
                "/api/v1/users/tje0",
                body: #"{"oldPassword": "Tje0", "password": "New-pass-1"}"#,
                headers: first
            )
            #expect(throttled.status == .tooManyRequests, "the sixth guess at the old password, a right one too")
            #expect(try await client.call(.get, Self.me, headers: second).status == .ok)
        }
        try await LiveServer.run(on: database) { client, _ async throws in
            let first = try await Self.tje0Session(client)
            let second = try await Self.tje0Session(client)
            let changed = try await client.call(
                .patch,
                "/api/v1/users/tje0",
                body: #"{"oldPassword": "Tje0", "password": "New-pass-1"}"#,
                headers: first
            )
            #expect(changed.status == .ok)
            #expect(try await client.call(.get, Self.me, headers: first).status == .ok, "the session that changed it stays")
            #expect(try await client.call(.get, Self.me, headers: second).status == .unauthorized, "the other one is ended")
        }
    }

    /// A session of tje0's, as the headers of a JSON request that proves it with its XSRF token.
    static func tje0Session(_ client: some TestClientProtocol) async throws -> HTTPFields {
        let session = try await SessionTests.signIn(client, body: #"{"user": "tje0", "password": "Tje0"}"#, contentType: "application/json")
        return [
            .contentType: "application/json", .cookie: "backroom_session=\(session.session); XSRF-TOKEN=\(session.xsrf)",
            HTTPField.Name("X-XSRF-TOKEN")!: session.xsrf,
        ]
    }
}
