import BackroomCore
import BackroomStorage
import BackroomTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

struct ReservationLifecycleTests {
    static func reserve(_ client: some TestClientProtocol, _ body: String) async throws -> Int {
        let response = try await client.reserve(body)
        #expect(response.status == .created)
        return try #require(try response.data?["resvId"] as? Int)
    }

    static func path(_ id: Int, _ suffix: String = "") -> String { "/servlets/services/reservation/\(id)\(suffix)" }

    @Test(arguments: TestDatabase.allCases)
    func readChangeCommitAndTheirErrors(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, _ in
            let id = try await Self.reserve(client, #"{"items": [{"id": "First-Test", "qty": 10}, {"id": "Second-Test", "qty": 2}]}"#)

            let read = try await client.call(.get, Self.path(id))
            #expect(read.status == .ok)
            #expect((try read.data?["items"] as? [[String: Any]])?.map { $0["state"] as? String } == ["reserved", "reserved"])

            let changed = try await client.call(
                .put,
                Self.path(id),
                body: #"{"items": [{"id": "First-Test", "qty": 95}, {"id": "Second-Test", "qty": 0}]}"#
            )
            #expect(changed.status == .created)
            #expect((try changed.data?["items"] as? [[String: Any]])?.map { $0["qty"] as? Int } == [95])
            #expect(try await client.availability("Second-Test")["Second-Test"]?["reserved"] as? Int == 0)

            let tooMuch = try await client.call(.put, Self.path(id), body: #"{"items": [{"id": "First-Test", "qty": 101}]}"#)
            #expect(tooMuch.status == .badRequest)
            #expect(try tooMuch.exceptionCodes == ["21001"])
            #expect(try await client.availability("First-Test")["First-Test"]?["reserved"] as? Int == 95)
            #expect(try await client.call(.put, Self.path(id), body: #"{"type": "PARTLY"}"#).status == .badRequest)

            let withOwn = try await client.availability("First-Test", query: "?resvId=\(id)")["First-Test"]
            #expect(withOwn?["atp"] as? Int == 100)
            #expect(withOwn?["reserved"] as? Int == 0)

            let commit = try await client.call(.post, Self.path(id, "/commit"))
            #expect(commit.status == .noContent)
            #expect(commit.body.readableBytes == 0)
            let again = try await client.call(.post, Self.path(id, "/commit"))
            #expect(again.status == .noContent)
            let stock = try await client.availability("First-Test")["First-Test"]
            #expect(stock?["stock"] as? Int == 5)
            #expect(stock?["reserved"] as? Int == 0)

            // Consumed, as in the original: it reads as gone.
            let readCommitted = try await client.call(.get, Self.path(id))
            #expect(readCommitted.status == .notFound)
            #expect(try readCommitted.exceptionCodes == ["21005"])
            let committedMessage = (try readCommitted.json["exceptions"] as? [[String: Any]])?.first?["message"] as? String
            #expect(committedMessage == "The reservation with id \(id) was committed")
            let changeCommitted = try await client.call(.put, Self.path(id), body: #"{"lifetime": 60}"#)
            #expect(changeCommitted.status == .badRequest)
            #expect(try changeCommitted.exceptionCodes == ["21005"])
            let cancelCommitted = try await client.call(.delete, Self.path(id))
            #expect(cancelCommitted.status == .badRequest)
            #expect(try cancelCommitted.exceptionCodes == ["21005"])

            for (method, suffix, status) in [
                (HTTPRequest.Method.get, "", HTTPResponse.Status.notFound), (.put, "", .badRequest), (.post, "/commit", .notFound),
                (.delete, "", .badRequest),
            ] {
                let missing = try await client.call(method, Self.path(987_654, suffix), body: method == .put ? #"{"lifetime": 5}"# : nil)
                #expect(missing.status == status, "\(method) \(suffix)")
                #expect(try missing.exceptionCodes == ["21003"])
            }
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func cancellingReleasesAtOnce(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, _ in
            let id = try await Self.reserve(client, #"{"items": [{"id": "Second-Test", "qty": 5}]}"#)
            #expect(try await client.reserve(#"{"items": [{"id": "Second-Test", "qty": 1}]}"#).status == .badRequest)
            let cancel = try await client.call(.delete, Self.path(id))
            #expect(cancel.status == .noContent)
            #expect(cancel.body.readableBytes == 0)
            _ = try await Self.reserve(client, #"{"items": [{"id": "Second-Test", "qty": 5}]}"#)
            let again = try await client.call(.delete, Self.path(id))
            #expect(again.status == .badRequest)
            #expect(try again.exceptionCodes == ["21003"])
            #expect(try await client.call(.get, Self.path(id)).status == .notFound)
            let changeCancelled = try await client.call(.put, Self.path(id), body: #"{"lifetime": 60}"#)
            #expect(changeCancelled.status == .badRequest)
            #expect(try changeCancelled.exceptionCodes == ["21003"])
            let commitCancelled = try await client.call(.post, Self.path(id, "/commit"))
            #expect(commitCancelled.status == .notFound)
            #expect(try commitCancelled.exceptionCodes == ["21003"])
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aReservationStopsCountingWhenItExpiresAndCanBeRenewed(_ database: TestDatabase) async throws {
        let clock = StoppedClock()
        try await LiveServer.run(on: database, clock: clock.clock) { client, _ in
            // validUntil is rounded to the nearest second: 2 s hold for at least 1.5 s and at most 2.5 s.
            let id = try await Self.reserve(client, #"{"lifetime": 2, "items": [{"id": "Second-Test", "qty": 5}]}"#)
            clock.advance(by: .milliseconds(1400))
            #expect(try await client.availability("Second-Test")["Second-Test"]?["atp"] as? Int == 0)
            clock.advance(by: .milliseconds(1200))
            #expect(try await client.availability("Second-Test")["Second-Test"]?["atp"] as? Int == 5)
            let read = try await client.call(.get, Self.path(id))
            #expect((try read.data?["items"] as? [[String: Any]])?.first?["state"] as? String == "expired")
            let commit = try await client.call(.post, Self.path(id, "/commit"))
            #expect(commit.status == .badRequest)
            #expect(try commit.exceptionCodes == ["21004"])

            let renewed = try await client.call(.put, Self.path(id), body: #"{"lifetime": 60}"#)
            #expect(renewed.status == .created)
            #expect(try renewed.exceptionCodes == ["21004"])
            let message = (try renewed.json["exceptions"] as? [[String: Any]])?.first?["message"] as? String
            #expect(message == "The reservation with id \(id) has already expired")
            #expect(try await client.availability("Second-Test")["Second-Test"]?["atp"] as? Int == 0)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func anIdempotencyKeyReplaysTheFirstAnswer(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, _ in
            let keyed = LiveServer.tje0JSON([.init("Idempotency-Key")!: "cart-4711"])
            let first = try await client.reserve(#"{"items": [{"id": "First-Test", "qty": 2}]}"#, headers: keyed)
            let second = try await client.reserve(#"{"items": [{"id": "First-Test", "qty": "2"}], "type": "complete"}"#, headers: keyed)
            #expect(first.status == .created && second.status == .created)
            #expect(try first.data?["resvId"] as? Int == second.data?["resvId"] as? Int)
            #expect(second.headers[.location] == first.headers[.location])
            #expect(try await client.availability("First-Test")["First-Test"]?["reserved"] as? Int == 2)

            let different = try await client.reserve(#"{"items": [{"id": "First-Test", "qty": 3}]}"#, headers: keyed)
            #expect(different.status == .conflict)
            #expect(try different.exceptionCodes == ["21007"])
            let tooLong = LiveServer.tje0JSON([.init("Idempotency-Key")!: String(repeating: "k", count: 256)])
            #expect(try await client.reserve(#"{"items": [{"id": "First-Test", "qty": 1}]}"#, headers: tooLong).status == .badRequest)
        }
    }

    @Test func validUntilIsWrittenInTheConfiguredTimeZone() async throws {
        let zone = try #require(TimeZone(identifier: "America/Sao_Paulo"))
        try await LiveServer.run(on: .sqlite, timeZone: zone) { client, storage in
            let response = try await client.reserve(#"{"lifetime": 3600, "items": [{"id": "First-Test", "qty": 1}]}"#)
            let id = try #require(try response.data?["resvId"] as? Int)
            let stored = try #require(try await storage.reservation(id: Int64(id)))
            let offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(stored.validUntil) / 1000))
            #expect(offset != 0)
            #expect(try response.data?["validUntil"] as? String == LocalTimestamp.format(millis: stored.validUntil, offsetSeconds: offset))
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func stockAdministrationSetsOnHandAndBlocked(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, storage in
            var admin = LiveServer.basic("admin", "admin")
            admin[.contentType] = "application/json"
            let response = try await client.call(
                .put,
                "/api/v1/shops/10010/stock",
                body: #"[{"id": "First-Test", "stock": 120, "blocked": 20}, {"id": "Brand-New", "stock": "7"}]"#,
                headers: admin
            )
            #expect(response.status == .ok)
            let atp = try await client.availability("First-Test,Brand-New")
            #expect(atp["First-Test"]?["atp"] as? Int == 100)
            #expect(atp["Brand-New"]?["atp"] as? Int == 7)
            #expect(try await storage.movementTotal(shop: 10010, product: "First-Test") == 120)

            #expect(try await client.call(.put, "/api/v1/shops/10010/stock", body: #"[{"id": "A", "stock": 1}]"#).status == .forbidden)
            let unknown = try await client.call(.put, "/api/v1/shops/424242/stock", body: #"[{"id": "A", "stock": 1}]"#, headers: admin)
            #expect(unknown.status == .notFound)
            #expect(try unknown.exceptionCodes == ["21006"])
            let bad = try await client.call(.put, "/api/v1/shops/10010/stock", body: #"[{"id": "A", "stock": -1}, {"stock": 1}]"#, headers: admin)
            #expect(bad.status == .badRequest)
            #expect(try bad.errorFields == ["[0].stock", "[1].id"])
            #expect(try await storage.stockLevel(shop: 10010, product: "A") == nil)
        }
    }
}
