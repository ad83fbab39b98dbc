import BackroomSecurity
import BackroomStorage
import BackroomTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

struct SessionTests {
    struct SignedIn {
        let session: String
        let xsrf: String
        let setCookies: [String]

        var cookieHeader: HTTPFields { [.cookie: "backroom_session=\(session); XSRF-TOKEN=\(xsrf)"] }
    }

    static func signIn(_ client: some TestClientProtocol, body: String, contentType: String) async throws -> SignedIn {
        let response = try await client.executeRequest(
            uri: "/api/v1/login",
            method: .post,
            headers: [.contentType: contentType],
            body: ByteBuffer(string: body)
        )
        #expect(response.status == .ok)
        let setCookies = response.headers[values: .setCookie]
        func value(_ name: String) throws -> String {
            let cookie = try #require(setCookies.first { $0.hasPrefix(name + "=") })
            return String(cookie.dropFirst(name.count + 1).prefix { $0 != ";" })
        }
        return SignedIn(session: try value("backroom_session"), xsrf: try value("XSRF-TOKEN"), setCookies: setCookies)
    }

    @Test(arguments: TestDatabase.allCases)
    func aSessionCookieSignsInAndChangesNeedTheXSRFHeader(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, storage in
            let signedIn = try await Self.signIn(client, body: #"{"user": "tje0", "password": "Tje0"}"#, contentType: "application/json")
            let sessionCookie = try #require(signedIn.setCookies.first { $0.hasPrefix("backroom_session=") })
            #expect(sessionCookie.contains("HttpOnly"))
            #expect(sessionCookie.contains("SameSite=Strict"))
            let xsrfCookie = try #require(signedIn.setCookies.first { $0.hasPrefix("XSRF-TOKEN=") })
            #expect(!xsrfCookie.contains("HttpOnly"))

            // Only fingerprints are stored.
            #expect(try await storage.session(fingerprint: signedIn.session, now: 0) == nil)
            #expect(try await storage.session(fingerprint: SecretToken.fingerprint(signedIn.session), now: 0)?.principal.name == "tje0")

            let me = try await client.executeRequest(uri: "/api/v1/me", method: .get, headers: signedIn.cookieHeader, body: nil)
            #expect(me.status == .ok)

            let withoutProof = try await client.executeRequest(uri: "/api/v1/logout", method: .post, headers: signedIn.cookieHeader, body: nil)
            #expect(withoutProof.status == .forbidden)
            var wrongProof = signedIn.cookieHeader
            wrongProof[.init("X-XSRF-TOKEN")!] = SecretToken.generate()
            #expect(try await client.executeRequest(uri: "/api/v1/logout", method: .post, headers: wrongProof, body: nil).status == .forbidden)

            var proof = signedIn.cookieHeader
            proof[.init("X-XSRF-TOKEN")!] = signedIn.xsrf
            let logout = try await client.executeRequest(uri: "/api/v1/logout", method: .post, headers: proof, body: nil)
            #expect(logout.status == .noContent)

            let afterwards = try await client.executeRequest(uri: "/api/v1/me", method: .get, headers: signedIn.cookieHeader, body: nil)
            #expect(afterwards.status == .unauthorized)
        }
    }

    @Test func aFormPostSignsInToo() async throws {
        try await LiveServer.run(on: .sqlite) { client, _ in
            let signedIn = try await Self.signIn(client, body: "user=tje0&password=Tje0", contentType: "application/x-www-form-urlencoded")
            #expect(!signedIn.session.isEmpty)
        }
    }

    @Test func wrongPasswordsGetNoSession() async throws {
        try await LiveServer.run(on: .sqlite) { client, _ in
            let response = try await client.executeRequest(
                uri: "/api/v1/login",
                method: .post,
                headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"user": "tje0", "password": "tje0"}"#)
            )
            #expect(response.status == .unauthorized)
            #expect(response.headers[values: .setCookie].isEmpty)
        }
    }

    /// A name no user may bear (here with NUL, which PostgreSQL refuses in any text) is an
    /// unknown user, not a 500 (found by schemathesis).
    @Test(arguments: TestDatabase.allCases)
    func aNameNoUserMayBearIsUnknown(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, _ in
            let response = try await client.executeRequest(
                uri: "/api/v1/login",
                method: .post,
                headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"user": "adm\u0000in", "password": "admin"}"#)
            )
            #expect(response.status == .unauthorized)
        }
    }

    @Test(arguments: ["{", #"{"user": "tje0"}"#, #"{"user": 5, "password": "x"}"#, "[]"])
    func malformedLoginsAre400(_ body: String) async throws {
        try await LiveServer.run(on: .sqlite) { client, _ in
            let response = try await client.executeRequest(
                uri: "/api/v1/login",
                method: .post,
                headers: [.contentType: "application/json"],
                body: ByteBuffer(string: body)
            )
            #expect(response.status == .badRequest)
            #expect(try response.json["statusCode"] as? Int == 400)
        }
    }
}
