import BackroomCore
import BackroomSecurity
import BackroomTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The console's Users and tokens page: a user added, signing in, refused the admin pages,
/// disabled; a token made (shown once on the answer, never in a URL) and revoked.
struct ConsoleUsersPageTests {
    @Test(arguments: TestDatabase.allCases)
    func aUserIsAddedSignsInIsRefusedAdminPagesAndIsDisabled(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, storage async throws in
            let admin = try await ConsoleTests.signIn(client, "admin", "admin")
            let added = try await ConsoleEnginePageTests.post(
                client,
                "/users",
                "name=clerk&password=Till-7&right%5B%5D=stock&right%5B%5D=atp&shops=10010",
                admin
            )
            #expect(ConsoleEnginePageTests.notice(added) == "clerk is added.")
            let page = try await client.call(.get, "/users", headers: [.cookie: admin.cookie])
            #expect(page.text.contains(#"<th scope="row">clerk</th><td>atp, stock</td><td>10010</td><td>yes</td>"#))
            #expect(!page.text.contains(#"class="notice""#), "no notice without something to say")
            let bad = try await ConsoleEnginePageTests.post(client, "/users", "name=a%3Ab&password=x", admin)
            #expect(ConsoleEnginePageTests.notice(bad)?.contains("user name must not contain") == true)

            let clerk = try await ConsoleTests.signIn(client, "clerk", "Till-7")
            #expect(try await client.call(.get, "/users", headers: [.cookie: clerk.cookie]).status == .forbidden, "the admin pages refused")

            let made = try await ConsoleEnginePageTests.post(client, "/users/clerk/token", "", admin)
            #expect(made.status == .ok && made.headers[.location] == nil && made.headers[.cacheControl] == "no-store")
            let token = try #require(made.text.firstMatch(of: /shown this once: <code>([A-Za-z0-9_-]+)<\/code>/)?.output.1).description
            #expect(try await storage.principal(forAPIToken: SecretToken.fingerprint(token))?.name == "clerk")
            let id = String(SecretToken.fingerprint(token).prefix(16))
            let listed = try await client.call(.get, "/users", headers: [.cookie: admin.cookie])
            #expect(listed.text.contains("<code>\(id)</code>") && !listed.text.contains(token))
            let revoked = try await ConsoleEnginePageTests.post(client, "/tokens/\(id)/revoke", "", admin)
            #expect(ConsoleEnginePageTests.notice(revoked) == "Token \(id) is revoked.")
            #expect(try await storage.principal(forAPIToken: SecretToken.fingerprint(token)) == nil)

            let disabled = try await ConsoleEnginePageTests.post(client, "/users/clerk/disable", "", admin)
            #expect(ConsoleEnginePageTests.notice(disabled) == "clerk is disabled.")
            #expect(try await client.call(.get, "/", headers: [.cookie: clerk.cookie]).status == .seeOther, "the session no longer counts")
            #expect(
                ConsoleEnginePageTests.notice(try await ConsoleEnginePageTests.post(client, "/users/admin/disable", "", admin))
                    == "You cannot disable yourself."
            )
            let audit = try await client.call(.get, "/api/v1/audit", headers: LiveServer.basic("admin", "admin"))
            #expect(
                try (audit.json["data"] as? [[String: Any]])?.compactMap { $0["action"] as? String } == [
                    "user.change", "token.revoke", "token.create", "user.create",
                ]
            )
            #expect(!audit.text.contains("Till-7") && !audit.text.contains(token))
        }
    }
}
