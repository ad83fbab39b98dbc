import BackroomTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Every kind of answer of the reservation family, read as a client generated from the
/// contract reads it: against `Tests/Contracts/reservations.schema.json`, written from
/// reservations.md (closed objects, closed enums), on both databases.
struct ReservationContractTests {
    static let schema = Result { try JSONSchema.contract("reservations.schema.json") }

    /// One answer: its HTTP status, the definition its body must match, and `statusCode` equal to the status.
    static func conforms(_ response: TestResponse, _ status: HTTPResponse.Status, _ definition: String, _ what: String) throws {
        #expect(response.status == status, "\(what)")
        #expect(response.headers[.contentType] == "application/json; charset=utf-8", "\(what)")
        let problems = try schema.get().problems(response.body.readableBytesView, against: definition)
        #expect(problems.isEmpty, "\(what): \(problems)")
        #expect(try response.json["statusCode"] as? Int == Int(status.code), "\(what)")
    }

    static func noBody(_ response: TestResponse, _ what: String) {
        #expect(response.status == .noContent, "\(what)")
        #expect(response.body.readableBytes == 0, "\(what)")
    }

    @Test(arguments: TestDatabase.allCases)
    func everyAnswerMatchesTheContract(_ database: TestDatabase) async throws {
        let clock = StoppedClock()
        try await LiveServer.run(on: database, clock: clock.clock) { client, _ async throws in
            let path = { (id: Int, suffix: String) in ReservationLifecycleTests.path(id, suffix) }
            let created = try await client.reserve(#"{"lifetime": 60, "items": [{"id": "First-Test", "qty": "2"}, {"id": "Second-Test", "qty": 1}]}"#)
            try Self.conforms(created, .created, "reservation", "create")
            let id = try #require(try created.data?["resvId"] as? Int)
            try Self.conforms(
                try await client.reserve(#"{"type": "PARTLY", "items": [{"id": "Second-Test", "qty": 9}, {"id": "Nope", "qty": 1}]}"#),
                .created,
                "reservation",
                "create PARTLY"
            )
            try Self.conforms(try await client.call(.get, path(id, "")), .ok, "reservation", "read")
            try Self.conforms(
                try await client.call(.put, path(id, ""), body: #"{"items": [{"id": "First-Test", "qty": 3}]}"#),
                .created,
                "reservation",
                "change"
            )
            try Self.conforms(
                try await client.call(.get, "/servlets/services/atp/10010/First-Test,Nope,Sold-Out,Second-Test"),
                .ok,
                "availability",
                "ATP"
            )
            try Self.conforms(
                try await client.call(.get, "/servlets/services/atp/10010/First-Test%2CSecond-Test?resvId=\(id)"),
                .ok,
                "availability",
                "ATP of a reservation"
            )
            try Self.conforms(try await client.call(.get, "/api/v1/shops/10010/stock?ids=First-Test,Nope"), .ok, "availability", "stock look-up")

            // Expired: read as such, renewed with a notice, refused to commit.
            clock.advance(by: .seconds(61))
            let expired = try await client.call(.get, path(id, ""))
            try Self.conforms(expired, .ok, "reservation", "read expired")
            #expect((try expired.data?["items"] as? [[String: Any]])?.compactMap { $0["state"] as? String } == ["expired"])
            try Self.conforms(try await client.call(.post, path(id, "/commit")), .badRequest, "failure", "commit expired")
            try Self.conforms(try await client.call(.put, path(id, ""), body: #"{"lifetime": 60}"#), .created, "reservation", "renew expired")

            Self.noBody(try await client.call(.post, path(id, "/commit")), "commit")
            Self.noBody(try await client.call(.post, path(id, "/commit")), "commit again")
            try Self.conforms(try await client.call(.get, path(id, "")), .notFound, "failure", "read committed")
            try Self.conforms(try await client.call(.put, path(id, ""), body: #"{"lifetime": 5}"#), .badRequest, "failure", "change committed")
            try Self.conforms(try await client.call(.delete, path(id, "")), .badRequest, "failure", "cancel committed")

            let other = try await ReservationLifecycleTests.reserve(client, #"{"items": [{"id": "First-Test", "qty": 1}]}"#)
            Self.noBody(try await client.call(.delete, path(other, "")), "cancel")
            try Self.conforms(try await client.call(.get, path(other, "")), .notFound, "failure", "read cancelled")
            try Self.conforms(try await client.call(.put, path(other, ""), body: #"{"lifetime": 5}"#), .badRequest, "failure", "change cancelled")
            try Self.conforms(try await client.call(.delete, path(other, "")), .badRequest, "failure", "cancel cancelled")
            try Self.conforms(try await client.call(.post, path(other, "/commit")), .notFound, "failure", "commit cancelled")

            try Self.conforms(try await client.reserve(#"{"items": [{"id": "Second-Test", "qty": 99}]}"#), .badRequest, "failure", "21001")
            try Self.conforms(try await client.reserve(#"{"items": [{"id": "Nope", "qty": 1}]}"#), .badRequest, "failure", "21002")
            try Self.conforms(try await client.reserve(#"{"items": [{"id": "First-Test", "qty": 0}]}"#), .badRequest, "failure", "field error")
            try Self.conforms(try await client.reserve("{", headers: LiveServer.tje0JSON()), .badRequest, "failure", "not JSON")
            try Self.conforms(
                try await client.call(.get, "/servlets/services/atp/10010/" + String(repeating: "x", count: 300)),
                .badRequest,
                "failure",
                "bad ids"
            )
            try Self.conforms(
                try await client.reserve(
                    #"{"items": [{"id": "First-Test", "qty": 1}]}"#,
                    shop: 99_999,
                    headers: {
                        var headers = LiveServer.basic("admin", "admin")
                        headers[.contentType] = "application/json"
                        return headers
                    }()
                ),
                .notFound,
                "failure",
                "21006"
            )
            let keyed = LiveServer.tje0JSON([HTTPField.Name("Idempotency-Key")!: "contract"])
            _ = try await client.reserve(#"{"items": [{"id": "First-Test", "qty": 1}]}"#, headers: keyed)
            try Self.conforms(
                try await client.reserve(#"{"items": [{"id": "First-Test", "qty": 2}]}"#, headers: keyed),
                .conflict,
                "failure",
                "21007"
            )
            try Self.conforms(try await client.reserve("{}", headers: [.contentType: "application/json"]), .unauthorized, "failure", "no credentials")
            try Self.conforms(try await client.reserve("{}", shop: 10020), .forbidden, "failure", "other shop")
            try Self.conforms(
                try await client.reserve("items", headers: LiveServer.basic("tje0", "Tje0") + [.contentType: "text/plain"]),
                .unsupportedMediaType,
                "failure",
                "not JSON media"
            )
        }
    }

    @Test func aBodyOverTheLimitIsAFailureOfTheContract() async throws {
        try await LiveServer.run(on: .sqlite, bodyLimit: 64) { client, _ async throws in
            let large = try await client.reserve(#"{"items": [{"id": "\#(String(repeating: "x", count: 100))", "qty": 1}]}"#)
            try Self.conforms(large, .contentTooLarge, "failure", "413")
        }
    }
}
