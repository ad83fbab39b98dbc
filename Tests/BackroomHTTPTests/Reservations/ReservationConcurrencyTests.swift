import BackroomCore
import BackroomStorage
import BackroomTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

struct ReservationConcurrencyTests {
    @Test(arguments: TestDatabase.allCases)
    func hundredsOfConcurrentRequestsGetExactlyTheStock(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, storage in
            let statuses = try await client.concurrentStatuses(
                300,
                .post,
                "/servlets/services/reservation/10010",
                headers: { _ in LiveServer.tje0JSON() },
                body: { _ in #"{"items": [{"id": "Second-Test", "qty": 1}]}"# }
            )
            #expect(statuses.reduce(into: [HTTPResponse.Status: Int]()) { $0[$1, default: 0] += 1 } == [.created: 5, .badRequest: 295])
            #expect(
                try await storage.productStock(shop: 10010, products: ["Second-Test"], at: BackroomClock.system.nowMillis())["Second-Test"]?.reserved
                    == 5
            )
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func productsLockedInOppositeOrdersNeverDeadlock(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, _ in
            let statuses = try await client.concurrentStatuses(
                200,
                .post,
                "/servlets/services/reservation/10010",
                headers: { _ in LiveServer.tje0JSON() },
                body: { index in
                    index % 2 == 0
                        ? #"{"items": [{"id": "SKU-00001", "qty": 1}, {"id": "SKU-00002", "qty": 1}]}"#
                        : #"{"items": [{"id": "SKU-00002", "qty": 1}, {"id": "SKU-00001", "qty": 1}]}"#
                }
            )
            #expect(statuses == Array(repeating: .created, count: 200))
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aLockHeldTooLongIsAnsweredWithTheDocumented500(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, storage, fresh in
            try await storage.setPreference(.reservationLockTimeout, value: 300)
            let response = try await fresh.holdingWriteLock(on: ProductKey(shop: 10010, product: "First-Test")) {
                try await client.reserve(#"{"items": [{"id": "First-Test", "qty": 1}]}"#)
            }
            #expect(response.status == .internalServerError)
            let envelope = try response.json
            #expect(envelope["data"] is NSNull)
            #expect(envelope["errors"] is NSNull)
            #expect(envelope["statusCode"] as? Int == 500)
            let exceptions = try #require(envelope["exceptions"] as? [[String: Any]])
            #expect(exceptions.count == 1)
            #expect(exceptions.first?["code"] as? String == "500")
            #expect(
                exceptions.first?["message"] as? String
                    == "bakery.util.exception.TechnicalException: Technical error while working on object 'ReservationPersistenceBean': Unable to update reservation. Cannot get the necessary database lock to perform a concurrent safe inventory check."
            )
            #expect(try await client.reserve(#"{"items": [{"id": "First-Test", "qty": 1}]}"#).status == .created)
        }
    }
}
