import BackroomCore
import BackroomTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// `/api/v1/users` and `/api/v1/tokens` over a real socket on both databases.
struct UserAdministrationTests {
    static func json(_ user: String, _ password: String) -> HTTPFields {
        LiveServer.basic(user, password) + [.contentType: "application/json"]
    }

    static let admin = json("admin", "admin")

    static func fields(_ response: TestResponse) throws -> [String] {
        (try response.json["errors"] as? [[String: Any]] ?? []).compactMap { $0["sourceField"] as? String }
    }

    @Test(arguments: TestDatabase.allCases)
    func anAdminMakesChangesDisablesAndDeletesUsers(_ database: TestDatabase) async throws {
        let time = StoppedClock()
        try await LiveServer.run(on: database, clock: time.clock) { client, storage async throws in
            let made = try await client.call(
                .post,
                "/api/v1/users",
                body: #"{"name": "clerk", "password": "Till-7", "rights": ["stock"], "shops": [10010]}"#,
                headers: Self.admin
            )
            #expect(made.status == .created && made.headers[.location] == "/api/v1/users/clerk")
            let data = try #require(try made.json["data"] as? [String: Any])
            #expect(data["rights"] as? [String] == ["stock"] && data["shops"] as? [Int] == [10010] && data["disabled"] as? Bool == false)
            #expect(data["password"] == nil && !made.text.contains("Till-7"))
            #expect(
                try await client.call(.get, "/api/v1/shops/10010/stock?ids=First-Test", headers: LiveServer.basic("clerk", "Till-7")).status == .ok
            )

            let taken = try await client.call(.post, "/api/v1/users", body: #"{"name": "clerk", "password": "x"}"#, headers: Self.admin)
            #expect(taken.status == .conflict)
            let bad = try await client.call(
                .post,
                "/api/v1/users",
                body: #"{"name": "a:b", "rights": ["root"], "shops": ["x"], "colour": 1}"#,
                headers: Self.admin
            )
            #expect(bad.status == .badRequest)
            #expect(try Self.fields(bad) == ["colour", "name", "rights[0]", "shops[0]", "password"])
            let users = try await storage.users(after: nil, limit: 100).map(\.principal.name)
            #expect(users == ["admin", "clerk", "tje0"], "nothing saved by the refusals")

            let changed = try await client.call(
                .patch,
                "/api/v1/users/clerk",
                body: #"{"rights": ["stock", "atp"], "shops": [10010, 10020]}"#,
                headers: Self.admin
            )
            #expect((try changed.json["data"] as? [String: Any])?["rights"] as? [String] == ["atp", "stock"])
            let disabled = try await client.call(.patch, "/api/v1/users/clerk", body: #"{"disabled": true}"#, headers: Self.admin)
            #expect((try disabled.json["data"] as? [String: Any])?["disabled"] as? Bool == true)
            // Remembered for the credential cache's 10 s at the most, then refused.
            time.advance(by: .seconds(11))
            #expect(
                try await client.call(.get, "/api/v1/shops/10010/stock?ids=First-Test", headers: LiveServer.basic("clerk", "Till-7")).status
                    == .unauthorized
            )
            #expect(try await client.call(.patch, "/api/v1/users/clerk", body: #"{"disabled": false}"#, headers: Self.admin).status == .ok)
            #expect(
                try await client.call(.get, "/api/v1/shops/10010/stock?ids=First-Test", headers: LiveServer.basic("clerk", "Till-7")).status == .ok
            )

            let first = try await client.call(.get, "/api/v1/users?limit=2", headers: Self.admin).json
            #expect(
                (first["data"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["admin", "clerk"] && first["next"] as? String == "clerk"
            )
            let second = try await client.call(.get, "/api/v1/users?limit=2&after=clerk", headers: Self.admin).json
            #expect((second["data"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["tje0"] && second["next"] is NSNull)

            #expect(try await client.call(.patch, "/api/v1/users/admin", body: #"{"disabled": true}"#, headers: Self.admin).status == .badRequest)
            #expect(try await client.call(.delete, "/api/v1/users/admin", headers: Self.admin).status == .badRequest)
            #expect(try await client.call(.delete, "/api/v1/users/clerk", headers: Self.admin).status == .noContent)
            #expect(try await client.call(.delete, "/api/v1/users/clerk", headers: Self.admin).status == .notFound)
            #expect(try await client.call(.get, "/api/v1/users/clerk", headers: Self.admin).status == .notFound)

            let audit = try await client.call(.get, "/api/v1/audit", headers: Self.admin)
            #expect(
                try (audit.json["data"] as? [[String: Any]])?.compactMap { $0["action"] as? String }
                    == ["user.delete", "user.change", "user.change", "user.change", "user.create"]
            )
            #expect(!audit.text.contains("Till-7"))
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aUserReadsThemselvesAndChangesOnlyTheirOwnPassword(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, _ async throws in
            let tje0 = Self.json("tje0", "Tje0")
            let me = try await client.call(.get, "/api/v1/users/tje0", headers: tje0)
            let rights = try me.json["data"] as? [String: Any]
            #expect(me.status == .ok && rights?["rights"] as? [String] == ["atp", "erpsync", "reservation"])
            #expect(try await client.call(.get, "/api/v1/users/admin", headers: tje0).status == .forbidden)
            #expect(try await client.call(.get, "/api/v1/users", headers: tje0).status == .forbidden)
            #expect(
                try await client.call(.patch, "/api/v1/users/tje0", body: #"{"rights": ["admin"], "oldPassword": "Tje0"}"#, headers: tje0).status
                    == .forbidden
            )
            let wrong = try await client.call(.patch, "/api/v1/users/tje0", body: #"{"password": "N3w-pass", "oldPassword": "guess"}"#, headers: tje0)
            let refused = try Self.fields(wrong)
            #expect(wrong.status == .badRequest && refused == ["oldPassword"])
            let changed = try await client.call(
                .patch,
                "/api/v1/users/tje0",
                body: #"{"password": "N3w-pass", "oldPassword": "Tje0"}"#,
                headers: tje0
            )
            #expect(changed.status == .ok)
            #expect(try await client.call(.get, "/api/v1/users/tje0", headers: Self.json("tje0", "N3w-pass")).status == .ok)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func tokensAreShownOnceListedByFingerprintAndRevokedAtOnce(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, storage async throws in
            let made = try await client.call(.post, "/api/v1/tokens", body: #"{"user": "tje0"}"#, headers: Self.admin)
            #expect(made.status == .created && made.headers[.cacheControl] == "no-store")
            let data = try #require(try made.json["data"] as? [String: Any])
            let token = try #require(data["token"] as? String)
            let id = try #require(data["id"] as? String)
            #expect(id.count == 16 && data["user"] as? String == "tje0" && data["lastUsed"] is NSNull)

            let bearer: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "application/json"]
            #expect(try await client.agent("GetEngineStatus", headers: bearer).status == .ok)
            let listed = try await client.call(.get, "/api/v1/tokens", headers: Self.admin)
            #expect(!listed.text.contains(token))
            let row = try #require((try listed.json["data"] as? [[String: Any]])?.first { $0["id"] as? String == id }, "\(listed.text)")
            #expect(row["token"] == nil && row["user"] as? String == "tje0" && row["lastUsed"] is String, "its use is noted")

            #expect(
                try await client.call(.post, "/api/v1/tokens", body: #"{"user": "admin"}"#, headers: Self.json("tje0", "Tje0")).status == .forbidden
            )
            #expect(try await client.call(.post, "/api/v1/tokens", body: "{}", headers: Self.json("tje0", "Tje0")).status == .created, "for oneself")
            #expect(try await client.call(.post, "/api/v1/tokens", body: #"{"user": "nobody"}"#, headers: Self.admin).status == .badRequest)

            #expect(try await client.call(.delete, "/api/v1/tokens/\(id)", headers: Self.admin).status == .noContent)
            #expect(try await client.agent("GetEngineStatus", headers: bearer).status == .unauthorized)
            #expect(try await client.call(.delete, "/api/v1/tokens/\(id)", headers: Self.admin).status == .notFound)
            #expect(try await storage.apiTokens(after: nil, limit: 10).count == 1)
            let audit = try await client.call(.get, "/api/v1/audit", headers: Self.admin)
            #expect(!audit.text.contains(token))
            #expect(
                try (audit.json["data"] as? [[String: Any]])?.compactMap { $0["action"] as? String } == [
                    "token.revoke", "token.create", "token.create",
                ]
            )
        }
    }
}
