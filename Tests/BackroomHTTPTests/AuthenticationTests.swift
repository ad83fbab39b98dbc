import BackroomCore
import BackroomHTTP
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
                    uri: "/api/v1/me",
                    method: .get,
                    headers: [.authorization: "\(scheme) \(token)"],
                    body: nil
                )
                #expect(response.status == .ok, "\(scheme)")
            }
            let wrong = try await client.executeRequest(
                uri: "/api/v1/me",
                method: .get,
                headers: [.authorization: "Bearer \(SecretToken.generate())"],
                body: nil
            )
            #expect(wrong.status == .unauthorized)
        }
    }

    @Test func concurrentBasicRequestsAreAllAnsweredRight() async throws {
        try await LiveServer.run(on: .sqlite) { client, storage in
            // Twenty wrong passwords from one address would be throttled after five (tested
            // apart); here each answer must be the one its own credentials deserve.
            try await storage.setPreference(.signInFailureLimit, value: 1000)
            let statuses = try await client.concurrentStatuses(60, .get, "/api/v1/me") { index in
                LiveServer.basic("tje0", index % 3 != 0 ? "Tje0" : "wrong")
            }
            #expect(statuses == (0..<60).map { $0 % 3 != 0 ? .ok : .unauthorized })
        }
    }
}

struct CredentialVerifierTests {
    @Test func concurrentChecksOfOneCredentialShareTheAnswerAndNeverMixCredentials() async throws {
        try await TestDatabase.sqlite.withStorage { storage, _ async throws in
            try await DemoLoader.load(into: storage, origin: .central, stock: LiveServer.demoStock, hashPassword: DemoPasswords.shared.hash)
            let verifier = CredentialVerifier(storage: storage, clock: .system)
            let answers = try await withThrowingTaskGroup(of: (String, String?).self) { group in
                for index in 0..<90 {
                    let password = ["Tje0", "wrong", ""][index % 3]
                    group.addTask { (password, try await verifier.principal(user: "tje0", password: password)?.name) }
                }
                return try await group.reduce(into: [(String, String?)]()) { $0.append($1) }
            }
            #expect(answers.count == 90)
            for (password, name) in answers {
                #expect(name == (password == "Tje0" ? "tje0" : nil), "\(password)")
            }
        }
    }
}
