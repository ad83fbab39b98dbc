import BackroomCore
import BackroomSecurity
import BackroomStorage
import BackroomTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

struct AuthenticationTests {
    @Test(arguments: TestDatabase.allCases)
    func anonymousCallersAreChallenged(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, _ in
            let response = try await client.executeRequest(uri: "/api/v1/me", method: .get, headers: [:], body: nil)
            #expect(response.status == .unauthorized)
            #expect(response.headers[.wwwAuthenticate] == #"Basic realm="Backroom""#)
            #expect(response.headers[.contentType] == "application/json; charset=utf-8")
            let envelope = try response.json
            #expect(envelope["data"] is NSNull)
            #expect(envelope["statusCode"] as? Int == 401)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func basicCredentialsIdentifyTheUser(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, _ in
            let response = try await client.executeRequest(uri: "/api/v1/me", method: .get, headers: LiveServer.basic("tje0", "Tje0"), body: nil)
            #expect(response.status == .ok)
            let data = try #require(try response.json["data"] as? [String: Any])
            #expect(data["user"] as? String == "tje0")
            #expect(data["rights"] as? [String] == ["atp", "erpsync", "reservation"])
            #expect(data["shops"] as? [Int] == [10010])
        }
    }

    @Test(arguments: [("tje0", "tje0"), ("tje0", ""), ("nobody", "Tje0"), ("", "")])
    func wrongCredentialsAreRefused(_ user: String, _ password: String) async throws {
        try await LiveServer.run(on: .sqlite) { client, _ in
            let response = try await client.executeRequest(uri: "/api/v1/me", method: .get, headers: LiveServer.basic(user, password), body: nil)
            #expect(response.status == .unauthorized)
        }
    }

    @Test(arguments: ["Basic !!!", "Basic", "Bearer", "Digest abc", "Basic " + Data("no-colon".utf8).base64EncodedString()])
    func malformedAuthorizationIsA401NotAnError(_ header: String) async throws {
        try await LiveServer.run(on: .sqlite) { client, _ in
            let response = try await client.executeRequest(uri: "/api/v1/me", method: .get, headers: [.authorization: header], body: nil)
            #expect(response.status == .unauthorized)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func bearerAndSoTicketTokensIdentifyTheirUser(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, storage in
            let token = SecretToken.generate()
            let tje0 = try #require(try await storage.user(named: "tje0"))
            try await storage.addAPIToken(fingerprint: SecretToken.fingerprint(token), userID: tje0.principal.userID)
            for scheme in ["Bearer", "SoTicket"] {
                let response = try await client.executeRequest(
                    uri: "/api/v1/me", method: .get, headers: [.authorization: "\(scheme) \(token)"], body: nil
                )
                #expect(response.status == .ok, "\(scheme)")
            }
            let wrong = try await client.executeRequest(
                uri: "/api/v1/me", method: .get, headers: [.authorization: "Bearer \(SecretToken.generate())"], body: nil
            )
            #expect(wrong.status == .unauthorized)
        }
    }

    @Test func concurrentBasicRequestsAreAllAnsweredRight() async throws {
        try await LiveServer.run(on: .sqlite) { client, _ in
            try await withThrowingTaskGroup(of: (Bool, HTTPResponse.Status).self) { group in
                for index in 0..<60 {
                    let right = index % 3 != 0
                    group.addTask {
                        let headers = LiveServer.basic("tje0", right ? "Tje0" : "wrong")
                        let response = try await client.executeRequest(uri: "/api/v1/me", method: .get, headers: headers, body: nil)
                        return (right, response.status)
                    }
                }
                for try await (right, status) in group {
                    #expect(status == (right ? .ok : .unauthorized))
                }
            }
        }
    }
}
