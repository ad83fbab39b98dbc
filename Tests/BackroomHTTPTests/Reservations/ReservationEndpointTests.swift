import BackroomCore
import BackroomSecurity
import BackroomStorage
import BackroomTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

struct ReservationEndpointTests {
    static let seedBody = #"{ "lifetime": 180, "type": "COMPLETE", "items": [ { "id": "First-Test", "qty": "2" } ] }"#

    @Test(arguments: TestDatabase.allCases)
    func theSeedExampleReservesAndAnswersAsDocumented(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, _ in
            let response = try await client.reserve(Self.seedBody)
            #expect(response.status == .created)
            #expect(response.headers[.contentType] == "application/json; charset=utf-8")
            let envelope = try response.json
            #expect(envelope["statusCode"] as? Int == 201)
            #expect((envelope["errors"] as? [Any])?.isEmpty == true)
            #expect((envelope["exceptions"] as? [Any])?.isEmpty == true)
            let data = try #require(envelope["data"] as? [String: Any])
            let id = try #require(data["resvId"] as? Int)
            #expect(id > 0)
            #expect(response.headers[.location] == "/servlets/services/reservation/\(id)")
            #expect((data["validUntil"] as? String)?.wholeMatch(of: /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/) != nil)
            let items = try #require(data["items"] as? [[String: Any]])
            #expect(items.count == 1)
            #expect(items[0]["id"] as? String == "First-Test")
            #expect(items[0]["qty"] as? Int == 2)
            #expect(items[0]["state"] as? String == "reserved")
            let atp = try await client.availability("First-Test")["First-Test"]
            #expect(atp?["reserved"] as? Int == 2)
            #expect(atp?["atp"] as? Int == 98)
        }
    }

    @Test func onlyBasicCredentialsWithTheRightAndTheShopMayReserve() async throws {
        try await LiveServer.run(on: .sqlite) { client, storage in
            let clerk = try await PasswordHasher.hash("Clerk1")
            try await storage.createUser(NewUser(name: "viewer", passwordHash: clerk, rights: [.atp], shops: [10010]))
            let token = SecretToken.generate()
            try await storage.addAPIToken(
                fingerprint: SecretToken.fingerprint(token),
                userID: try #require(try await storage.user(named: "tje0")).principal.userID
            )

            let anonymous = try await client.reserve(Self.seedBody, headers: [.contentType: "application/json"])
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.headers[.wwwAuthenticate] == #"Basic realm="Backroom""#)
            #expect(
                try await client.reserve(Self.seedBody, headers: [.contentType: "application/json", .authorization: "Bearer \(token)"]).status
                    == .unauthorized
            )
            var viewer = LiveServer.basic("viewer", "Clerk1")
            viewer[.contentType] = "application/json"
            #expect(try await client.reserve(Self.seedBody, headers: viewer).status == .forbidden)
            #expect(try await client.reserve(Self.seedBody, shop: 10020).status == .forbidden)
            // ATP accepts the atp right alone.
            #expect(try await client.call(.get, "/servlets/services/atp/10010/First-Test", headers: viewer).status == .ok)
            #expect(try await client.call(.get, "/servlets/services/atp/10020/First-Test", headers: viewer).status == .forbidden)
        }
    }

    @Test(arguments: [
        (#"{"items": [{"id": "First-Test", "qty": "abc"}]}"#, "items[0].qty"),
        (#"{"items": [{"id": "First-Test", "qty": 0}]}"#, "items[0].qty"),
        (#"{"items": [{"id": "First-Test", "qty": -3}]}"#, "items[0].qty"),
        (#"{"items": [{"id": "First-Test", "qty": 2.5}]}"#, "items[0].qty"),
        (#"{"items": [{"id": "First-Test", "qty": 1000000001}]}"#, "items[0].qty"),
        (#"{"items": [{"id": "", "qty": 1}]}"#, "items[0].id"),
        (#"{"items": []}"#, "items"),
        (#"{"items": [{"id": "First-Test", "qty": 1}], "lifetime": 0}"#, "lifetime"),
        (#"{"items": [{"id": "First-Test", "qty": 1}], "type": "ALL"}"#, "type"),
        ("{", "body"),
        ("", "body"),
        ("[]", "body"),
    ])
    func badInputIs400NamingTheFieldAndReservesNothing(_ body: String, _ field: String) async throws {
        try await LiveServer.run(on: .sqlite) { client, _ in
            let response = try await client.reserve(body)
            #expect(response.status == .badRequest)
            #expect(try response.errorFields == [field])
            #expect(try response.json["data"] is NSNull)
            #expect(try await client.availability("First-Test")["First-Test"]?["reserved"] as? Int == 0)
        }
    }

    @Test func onlyJSONBodiesAreAccepted() async throws {
        try await LiveServer.run(on: .sqlite) { client, _ in
            for type in ["text/plain", "application/xml", "multipart/form-data; boundary=x"] {
                var headers = LiveServer.basic("tje0", "Tje0")
                headers[.contentType] = type
                let response = try await client.reserve(Self.seedBody, headers: headers)
                #expect(response.status == .unsupportedMediaType, "\(type)")
                #expect(try response.json["statusCode"] as? Int == 415)
            }
            #expect(try await client.reserve(Self.seedBody, headers: LiveServer.basic("tje0", "Tje0")).status == .unsupportedMediaType)
            for type in ["application/json; charset=utf-8", "application/vnd.backroom+json", "application/x-www-form-urlencoded"] {
                var headers = LiveServer.basic("tje0", "Tje0")
                headers[.contentType] = type
                #expect(try await client.reserve(Self.seedBody, headers: headers).status == .created, "\(type)")
            }
        }
    }

    @Test func aBodyOverTheLimitIs413() async throws {
        try await LiveServer.run(on: .sqlite, bodyLimit: 256) { client, _ in
            let items = (0..<40).map { #"{"id": "SKU-\#(String(format: "%05d", $0 + 1))", "qty": 1}"# }.joined(separator: ",")
            let response = try await client.reserve(#"{"items": [\#(items)]}"#)
            #expect(response.status == .contentTooLarge)
            #expect(try response.json["statusCode"] as? Int == 413)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func businessProblemsAreCodedAndChangeNothing(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, _ in
            let short = try await client.reserve(
                #"{"items": [{"id": "First-Test", "qty": 1}, {"id": "Second-Test", "qty": 3}, {"id": "Second-Test", "qty": 3}]}"#
            )
            #expect(short.status == .badRequest)
            #expect(try short.exceptionCodes == ["21001"])
            let message = try #require((try short.json["exceptions"] as? [[String: Any]])?.first?["message"] as? String)
            #expect(message.contains("Second-Test") && message.contains("6") && message.contains("5"))

            let unknown = try await client.reserve(#"{"items": [{"id": "First-Test", "qty": 1}, {"id": "Nope", "qty": 1}]}"#)
            #expect(unknown.status == .badRequest)
            #expect(try unknown.exceptionCodes == ["21002"])

            let noShop = try await client.reserve(
                Self.seedBody,
                shop: 99999,
                headers: {
                    var headers = LiveServer.basic("admin", "admin")
                    headers[.contentType] = "application/json"
                    return headers
                }()
            )
            #expect(noShop.status == .notFound)
            #expect(try noShop.exceptionCodes == ["21006"])

            let atp = try await client.availability("First-Test,Second-Test")
            #expect(atp["First-Test"]?["reserved"] as? Int == 0)
            #expect(atp["Second-Test"]?["reserved"] as? Int == 0)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func availabilityAnswersAProductAskedTwiceTwiceAndLeavesUnknownOnesOut(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, _ in
            let response = try await client.call(.get, "/servlets/services/atp/10010/First-Test,Nope,First-Test")
            #expect(response.status == .ok)
            let rows = try #require(try response.json["data"] as? [[String: Any]])
            #expect(rows.map { $0["id"] as? String } == ["First-Test", "First-Test"])
            #expect(rows.map { $0["state"] as? String } == ["available", "available"])
            let exceptions = try #require(try response.json["exceptions"] as? [[String: Any]])
            #expect(exceptions.map { $0["code"] as? String } == ["21002"])
            #expect(exceptions.first?["message"] as? String == "Product Nope is unknown in shop 10010")
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func availabilityTakesAnEncodedCommaAndSaysTheOriginalsThreeWords(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, _ in
            _ = try await ReservationLifecycleTests.reserve(client, #"{"items": [{"id": "Second-Test", "qty": 5}]}"#)
            let response = try await client.call(.get, "/servlets/services/atp/10010/First-Test%2CSecond-Test%2cSold-Out")
            #expect(response.status == .ok)
            let rows = try #require(try response.json["data"] as? [[String: Any]])
            #expect(rows.map { $0["id"] as? String } == ["First-Test", "Second-Test", "Sold-Out"])
            #expect(rows.map { $0["state"] as? String } == ["available", "temporarily not available", "sold out"])
            for row in rows {
                let date = try #require(row["modificationDate"] as? String)
                #expect(date.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}(Z|[+-]\d\d:\d\d)/) != nil, "\(date)")
            }
        }
    }

    /// When on hand or blocked last changed, by the server's one clock.
    @Test(arguments: TestDatabase.allCases)
    func modificationDateIsTheLastChangeOfTheStockLine(_ database: TestDatabase) async throws {
        let clock = StoppedClock()
        try await LiveServer.run(on: database, clock: clock.clock) { client, _ in
            func date(_ id: String) async throws -> String {
                try #require(try await client.availability(id)[id]?["modificationDate"] as? String)
            }
            func written(_ millis: Int64) -> String { LocalTimestamp.iso8601(millis: millis, offsetSeconds: 0, fraction: true) }
            let loaded = clock.clock.nowMillis()
            #expect(try await date("Second-Test") == written(loaded), "the demo's count")
            clock.advance(by: .seconds(60))
            _ = try await ReservationLifecycleTests.reserve(client, #"{"items": [{"id": "Second-Test", "qty": 1}]}"#)
            #expect(try await date("Second-Test") == written(loaded), "a reservation does not change the stock line")
            var admin = LiveServer.basic("admin", "admin")
            admin[.contentType] = "application/json"
            let blockedOnly = try await client.call(
                .put,
                "/api/v1/shops/10010/stock",
                body: #"[{"id": "Second-Test", "stock": 5, "blocked": 1}]"#,
                headers: admin
            )
            #expect(blockedOnly.status == .ok)
            #expect(try await date("Second-Test") == written(loaded + 60_000), "blocked changed")
            clock.advance(by: .seconds(60))
            _ = try await client.call(.put, "/api/v1/shops/10010/stock", body: #"[{"id": "Second-Test", "stock": 5, "blocked": 1}]"#, headers: admin)
            #expect(try await date("Second-Test") == written(loaded + 60_000), "nothing changed")
            _ = try await client.call(.put, "/api/v1/shops/10010/stock", body: #"[{"id": "Second-Test", "stock": 7}]"#, headers: admin)
            #expect(try await date("Second-Test") == written(loaded + 120_000), "on hand changed")
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func partlyTakesWhatThereIs(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, _ in
            let response = try await client.reserve(
                #"{"type": "partly", "items": [{"id": "Second-Test", "qty": 7}, {"id": "Sold-Out", "qty": 1}, {"id": "Nope", "qty": 1}, {"id": "First-Test", "qty": 1}]}"#
            )
            #expect(response.status == .created)
            let items = try #require(try response.data?["items"] as? [[String: Any]])
            #expect(items.map { $0["id"] as? String } == ["Second-Test", "First-Test"])
            #expect(items.map { $0["qty"] as? Int } == [5, 1])
            let nothing = try await client.reserve(#"{"type": "PARTLY", "items": [{"id": "Sold-Out", "qty": 1}]}"#)
            #expect(try nothing.exceptionCodes == ["21001"])
        }
    }
}
