import BackroomCore
import BackroomTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Operators list a shop's reservations by state, read one whatever its state, and cancel one.
struct ReservationAdministrationTests {
    static let admin: HTTPFields = LiveServer.basic("admin", "admin")

    static func ids(_ client: any TestClientProtocol, _ query: String) async throws -> [Int] {
        let listed = try await client.call(.get, "/api/v1/shops/10010/reservations\(query)", headers: Self.admin)
        #expect(listed.status == .ok)
        return (try listed.json["data"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int }
    }

    @Test(arguments: TestDatabase.allCases)
    func reservationsAreListedByStateReadAndCancelled(_ database: TestDatabase) async throws {
        let time = StoppedClock()
        try await LiveServer.run(on: database, clock: time.clock) { client, _ async throws in
            let short = try await ReservationLifecycleTests.reserve(client, #"{"lifetime": 60, "items": [{"id": "First-Test", "qty": 1}]}"#)
            time.advance(by: .seconds(61))
            let committed = try await ReservationLifecycleTests.reserve(client, #"{"items": [{"id": "First-Test", "qty": 2}]}"#)
            #expect(try await client.call(.post, ReservationLifecycleTests.path(committed, "/commit")).status == .noContent)
            let active = try await ReservationLifecycleTests.reserve(client, #"{"items": [{"id": "Second-Test", "qty": 3}]}"#)
            let cancelled = try await ReservationLifecycleTests.reserve(client, #"{"items": [{"id": "Second-Test", "qty": 1}]}"#)

            let cancel = try await client.call(.delete, "/api/v1/reservations/\(cancelled)", headers: Self.admin)
            #expect(cancel.status == .noContent)
            #expect(try await client.availability("Second-Test")["Second-Test"]?["reserved"] as? Int == 3, "its stock is free again")

            #expect(try await Self.ids(client, "") == [cancelled, active, committed, short], "newest first")
            #expect(try await Self.ids(client, "?state=active") == [active])
            #expect(try await Self.ids(client, "?state=expired") == [short])
            #expect(try await Self.ids(client, "?state=committed") == [committed])
            #expect(try await Self.ids(client, "?state=cancelled") == [cancelled])
            let page = try await client.call(.get, "/api/v1/shops/10010/reservations?limit=3", headers: Self.admin).json
            #expect(page["next"] as? String == String(committed))
            #expect(try await Self.ids(client, "?after=\(committed)") == [short])

            let read = try #require(
                try await client.call(.get, "/api/v1/reservations/\(committed)", headers: Self.admin).json["data"] as? [String: Any]
            )
            #expect(read["state"] as? String == "committed" && read["shop"] as? Int == 10010)
            #expect((read["items"] as? [[String: Any]])?.first?["qty"] as? Int == 2)
            #expect(
                try await client.call(.delete, "/api/v1/reservations/\(committed)", headers: Self.admin).status == .badRequest,
                "a committed one stays"
            )
            #expect(try await client.call(.get, "/api/v1/reservations/999999", headers: Self.admin).status == .notFound)
            #expect(try await client.call(.get, "/api/v1/shops/10010/reservations?state=gone", headers: Self.admin).status == .badRequest)
            #expect(try await client.call(.get, "/api/v1/shops/10020/reservations", headers: LiveServer.basic("tje0", "Tje0")).status == .forbidden)
            #expect(try await client.call(.get, "/api/v1/reservations/\(active)", headers: LiveServer.basic("tje0", "Tje0")).status == .ok)
            let audit = try await client.call(.get, "/api/v1/audit", headers: Self.admin)
            #expect(try (audit.json["data"] as? [[String: Any]])?.compactMap { $0["action"] as? String } == ["reservation.cancel"])
        }
    }
}
