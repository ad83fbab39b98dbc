import BackroomCore
import BackroomSecurity
import BackroomStorage
import BackroomTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The console's Sync engine page: what the engine does, and its forms, each proven by the
/// session's XSRF field, answered by a redirect with a notice, and the same engine the agent shows.
struct ConsoleEnginePageTests {
    static func post(
        _ client: any TestClientProtocol,
        _ path: String,
        _ fields: String,
        _ session: (cookie: String, xsrf: String)
    ) async throws -> TestResponse {
        try await client.call(
            .post,
            path,
            body: "xsrf=\(session.xsrf)&\(fields)",
            headers: [.cookie: session.cookie, .contentType: "application/x-www-form-urlencoded"]
        )
    }

    static func notice(_ response: TestResponse) -> String? {
        response.headers[.location].flatMap { URLComponents(string: $0)?.queryItems?.first { $0.name == "notice" }?.value }
    }

    @Test(arguments: TestDatabase.allCases)
    func theEngineIsStoppedStartedAndItsConnectionsToggledAndOrdered(_ database: TestDatabase) async throws {
        try await withErpFolder { folder in
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try await LiveServer.run(on: database) { client, storage async throws in
                let erp = try await client.agent(
                    "SaveConnection",
                    #"{"Connection": {"ErpConnectionId": 0, "ErpConnectorId": 3, "ConfigFields": {"folder": "\#(folder.path)"}}}"#
                )
                let erpId = try #require(try erp.json["ErpConnectionId"] as? Int)
                let session = try await ConsoleTests.signIn(client, "tje0", "Tje0")
                let page = try await client.call(.get, "/engine", headers: [.cookie: session.cookie])
                #expect(page.status == .ok && page.text.contains("Stop the engine") && page.text.contains(#"<tr data-id="\#(erpId)">"#))
                #expect(page.text.contains(#"aria-label="Visit earlier ERP""#), "every control says what it does to what")

                let stopped = try await Self.post(client, "/engine/run", "running=false", session)
                #expect(stopped.status == .seeOther && Self.notice(stopped) == "The engine is stopped.")
                #expect(try await client.agent("GetEngineStatus").json["IsRunning"] as? Bool == false, "the agent's engine")
                let interval = try await Self.post(client, "/engine/interval", "seconds=90", session)
                #expect(Self.notice(interval) == "Rounds run every 00:01:30.")
                let round = try await Self.post(client, "/engine/round", "", session)
                #expect(Self.notice(round)?.hasPrefix("Round done: 2 connections") == true, "a round now, even when stopped")

                let toggled = try await Self.post(client, "/engine/connections/\(erpId)/toggle", "", session)
                #expect(Self.notice(toggled) == "ERP is inactive.")
                #expect(try await storage.syncConnection(id: Int64(erpId))?.active == false)
                let up = try await Self.post(client, "/engine/connections/\(erpId)/up", "", session)
                #expect(Self.notice(up) == "ERP is visited earlier.")
                #expect(try await storage.syncConnection(id: Int64(erpId))?.priority == 1)
                let tested = try await Self.post(client, "/engine/connections/\(erpId)/test", "", session)
                #expect(Self.notice(tested) == "ERP can be reached.")

                let forged = try await client.call(
                    .post,
                    "/engine/run",
                    body: "xsrf=guess&running=true",
                    headers: [.cookie: session.cookie, .contentType: "application/x-www-form-urlencoded"]
                )
                #expect(forged.status == .forbidden, "a cross-site form without the session's field")
                #expect(try await client.agent("GetEngineStatus").json["IsRunning"] as? Bool == false, "changed nothing")
                let after = try await client.call(.get, "/engine?notice=Shown", headers: [.cookie: session.cookie])
                #expect(after.text.contains("Start the engine") && after.text.contains(#"<p class="notice" role="status">Shown</p>"#))
            }
        }
    }

    @Test func aUserWithoutTheRightIsRefused() async throws {
        try await LiveServer.run(on: .sqlite) { client, storage async throws in
            try await storage.createUser(
                NewUser(name: "clerk", passwordHash: try await PasswordHasher.hash("Till-7"), rights: [.stock], shops: [10010])
            )
            let session = try await ConsoleTests.signIn(client, "clerk", "Till-7")
            #expect(try await client.call(.get, "/engine", headers: [.cookie: session.cookie]).status == .forbidden)
            #expect(try await Self.post(client, "/engine/run", "running=false", session).status == .forbidden)
        }
    }
}

/// The console's ERP page: each folder's files, refused ones with their reason.
struct ConsoleErpPageTests {
    @Test(arguments: TestDatabase.allCases)
    func aRefusedFileIsShownWithWhatIsWrong(_ database: TestDatabase) async throws {
        try await withErpFolder { folder in
            try FileManager.default.createDirectory(at: folder.appendingPathComponent("in"), withIntermediateDirectories: true)
            try Data("shop,id,qty\n99999,First-Test,5\n".utf8).write(to: folder.appendingPathComponent("in/wrong.csv"))
            try await LiveServer.run(on: database) { client, _ async throws in
                _ = try await client.agent(
                    "SaveConnection",
                    #"{"Connection": {"ErpConnectionId": 0, "ErpConnectorId": 3, "DisplayName": "Books", "ConfigFields": {"folder": "\#(folder.path)"}}}"#
                )
                _ = try await client.agent("ForceSyncAll")
                let session = try await ConsoleTests.signIn(client, "tje0", "Tje0")
                let page = try await client.call(.get, "/erp", headers: [.cookie: session.cookie])
                #expect(page.status == .ok && page.text.contains("Books <small>\(folder.path)</small>"))
                #expect(page.text.contains(#"<th scope="row">wrong.csv</th>"#) && page.text.contains("99999"))
            }
        }
    }
}
