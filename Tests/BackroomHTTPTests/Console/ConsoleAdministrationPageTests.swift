import BackroomCore
import BackroomTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The console's Preferences and Audit log pages.
struct ConsoleAdministrationPageTests {
    @Test(arguments: TestDatabase.allCases)
    func aPreferenceIsSetFromItsPageAndTheChangeIsInTheAuditLog(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, storage async throws in
            let session = try await ConsoleTests.signIn(client, "admin", "admin")
            let page = try await client.call(.get, "/preferences", headers: [.cookie: session.cookie])
            #expect(
                page.status == .ok && page.text.contains(#"<th scope="row">OBMOBC_READ_TIMEOUT_REQUEST</th><td>min</td><td>1 to 60</td><td>15</td>"#)
            )
            #expect(page.text.contains(#"<label class="hidden" for="value-OBMOBC_ReadTimeoutForcesOffline">"#), "a label on every control")

            let set = try await ConsoleEnginePageTests.post(client, "/preferences/OBMOBC_READ_TIMEOUT_REQUEST", "value=3", session)
            #expect(set.status == .seeOther && set.headers[.location] == "/preferences?notice=OBMOBC%5FREAD%5FTIMEOUT%5FREQUEST%20is%203%2E")
            #expect(try await storage.storedPreference(.readTimeout) == "3")
            let refused = try await ConsoleEnginePageTests.post(client, "/preferences/OBMOBC_READ_TIMEOUT_REQUEST", "value=61", session)
            #expect(ConsoleEnginePageTests.notice(refused)?.contains("61") == true)
            #expect(try await storage.storedPreference(.readTimeout) == "3", "a refused value changes nothing")

            let audit = try await client.call(.get, "/audit", headers: [.cookie: session.cookie])
            #expect(audit.status == .ok && audit.text.contains("<td>preference.set</td><td>preference OBMOBC_READ_TIMEOUT_REQUEST</td>"))
            #expect(audit.text.contains("<td>admin</td><td>api</td><td>127.0.0.1</td>"))
        }
    }

    @Test func onlyAdminsSeeThem() async throws {
        try await LiveServer.run(on: .sqlite) { client, _ async throws in
            let session = try await ConsoleTests.signIn(client, "tje0", "Tje0")
            for path in ["/preferences", "/audit"] {
                #expect(try await client.call(.get, path, headers: [.cookie: session.cookie]).status == .forbidden, "\(path)")
            }
            #expect(
                try await ConsoleEnginePageTests.post(client, "/preferences/OBMOBC_READ_TIMEOUT_REQUEST", "value=3", session).status == .forbidden
            )
        }
    }

    /// A form the decoder cannot read is refused whole, says nothing of what was sent, and changes
    /// nothing.
    @Test(arguments: ["value=3&value=4", "value=%ZZ", "value[]=3", "value=3&xsrf=again"])
    func aFormThatCannotBeReadIsRefusedAndChangesNothing(_ fields: String) async throws {
        try await LiveServer.run(on: .sqlite) { client, storage async throws in
            let session = try await ConsoleTests.signIn(client, "admin", "admin")
            let refused = try await ConsoleEnginePageTests.post(client, "/preferences/OBMOBC_READ_TIMEOUT_REQUEST", fields, session)
            #expect(refused.status == .badRequest, "\(refused.status)")
            #expect(!refused.text.contains("ZZ") && !refused.text.contains("again"), "what was sent is not repeated")
            #expect(try await storage.storedPreference(.readTimeout) == nil, "nothing changed")
        }
    }
}
