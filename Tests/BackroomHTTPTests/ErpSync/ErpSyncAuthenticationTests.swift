import BackroomCore
import BackroomSecurity
import BackroomStorage
import BackroomTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Who may call the agent: Basic, Bearer and SoTicket credentials, or the dashboard's session
/// cookie with its XSRF header; right `erpsync` or `admin`.
struct ErpSyncAuthenticationTests {
    @Test(arguments: TestDatabase.allCases)
    func everySchemeOfTheCRMSignsIn(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, storage async throws in
            #expect(try await client.agent("GetEngineStatus", headers: LiveServer.basic("tje0", "Tje0")).status == .ok)
            #expect(try await client.agent("GetEngineStatus", headers: LiveServer.basic("admin", "admin")).status == .ok)
            let token = SecretToken.generate()
            let tje0 = try #require(try await storage.user(named: "tje0"))
            try await storage.addAPIToken(fingerprint: SecretToken.fingerprint(token), userID: tje0.principal.userID)
            for scheme in ["Bearer", "SoTicket", "soticket"] {
                #expect(try await client.agent("GetEngineStatus", headers: [.authorization: "\(scheme) \(token)"]).status == .ok, "\(scheme)")
            }
            let wrongToken = try await client.agent("GetEngineStatus", headers: [.authorization: "Bearer \(SecretToken.generate())"])
            _ = try wrongToken.expectAgentError(.unauthorized, type: "SoCredentialsException")
        }
    }

    @Test func anonymousCallersAreChallengedInTheirLanguage() async throws {
        try await LiveServer.run(on: .sqlite) { client, _ async throws in
            for headers: HTTPFields in [
                [.acceptLanguage: "sv"], [.authorization: "Basic " + Data("tje0:wrong".utf8).base64EncodedString(), .acceptLanguage: "sv"],
            ] {
                let response = try await client.agent("GetEngineStatus", headers: headers)
                let message = try response.expectAgentError(.unauthorized, type: "SoCredentialsException", language: "sv")
                #expect(message.hasPrefix("Inloggning krävs"))
                #expect(response.headers[values: .wwwAuthenticate].contains(#"Basic realm="Backroom""#))
                #expect(response.headers[values: .wwwAuthenticate].contains { $0.hasPrefix("SoTicket") })
            }
        }
    }

    @Test func usersWithoutTheRightAreRefused() async throws {
        try await LiveServer.run(on: .sqlite) { client, storage async throws in
            let hash = try await DemoPasswords.shared.hash("Clerk1")
            _ = try await storage.createUser(NewUser(name: "clerk", passwordHash: hash, rights: [.reservation, .stock], shops: [10010]))
            let response = try await client.agent(
                "ChangeEngineStatus",
                #"{"Run": false}"#,
                headers: LiveServer.basic("clerk", "Clerk1") + [.contentType: "application/json"]
            )
            #expect(try response.expectAgentError(.forbidden, type: "SoSecurityException") == "User clerk lacks the right erpsync.")
            #expect(try await client.agent("GetEngineStatus").json["IsRunning"] as? Bool == true, "nothing changed")
        }
    }

    @Test func aSessionCookieNeedsItsXSRFHeaderForEveryAgentCall() async throws {
        try await LiveServer.run(on: .sqlite) { client, _ async throws in
            let signedIn = try await SessionTests.signIn(client, body: #"{"user": "tje0", "password": "Tje0"}"#, contentType: "application/json")
            let withoutProof = try await client.agent("GetEngineStatus", headers: signedIn.cookieHeader)
            #expect(try withoutProof.expectAgentError(.forbidden, type: "SoSecurityException").contains("X-XSRF-TOKEN"))
            var wrongProof = signedIn.cookieHeader
            wrongProof[.init("X-XSRF-TOKEN")!] = SecretToken.generate()
            _ = try await client.agent("GetEngineStatus", headers: wrongProof).expectAgentError(.forbidden, type: "SoSecurityException")
            var proof = signedIn.cookieHeader
            proof[.init("X-XSRF-TOKEN")!] = signedIn.xsrf
            #expect(try await client.agent("GetEngineStatus", headers: proof).status == .ok)
        }
    }
}
