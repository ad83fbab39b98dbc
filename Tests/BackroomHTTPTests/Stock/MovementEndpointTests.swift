import BackroomCore
import BackroomStorage
import BackroomTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

struct MovementEndpointTests {
    static let path = "/api/v1/shops/10010/movements"
    static let sale = #"{"movements": [{"id": "First-Test", "qty": -2, "reason": "sale", "reference": "till-3/991"}]}"#

    static func admin(_ extra: HTTPFields = [:]) -> HTTPFields {
        var headers = LiveServer.basic("admin", "admin")
        headers[.contentType] = "application/json"
        for field in extra { headers.append(field) }
        return headers
    }

    @Test(arguments: TestDatabase.allCases)
    func aSaleIsRecordedUnderTheServersKey(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, storage async throws in
            let response = try await client.call(.post, Self.path, body: Self.sale, headers: Self.admin())
            #expect(response.status == .created)
            let rows = try #require(try response.json["data"] as? [[String: Any]])
            #expect(rows.count == 1)
            #expect((rows[0]["movementId"] as? String)?.hasPrefix("CENTRAL:") == true)
            #expect(rows[0]["id"] as? String == "First-Test")
            #expect(rows[0]["qty"] as? Int == -2)
            #expect(rows[0]["reason"] as? String == "sale")
            #expect(try await storage.stockLevel(shop: 10010, product: "First-Test")?.onHand == 98)

            let lookUp = try await client.call(.get, "/api/v1/shops/10010/stock?ids=First-Test,Nope", headers: LiveServer.basic("tje0", "Tje0"))
            #expect(lookUp.status == .ok)
            let stock = try #require(try lookUp.json["data"] as? [[String: Any]])
            #expect(stock.map { $0["id"] as? String } == ["First-Test"])
            #expect(stock[0]["stock"] as? Int == 98 && stock[0]["atp"] as? Int == 98)
            #expect(stock[0]["state"] as? String == "available" && stock[0]["modificationDate"] is String)
            #expect((try lookUp.json["exceptions"] as? [[String: Any]])?.map { $0["code"] as? String } == ["21002"])
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func anIdempotencyKeySentAgainIsAnsweredOnce(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, storage async throws in
            let keyed = Self.admin([HTTPField.Name("Idempotency-Key")!: "till-3/991"])
            let first = try await client.call(.post, Self.path, body: Self.sale, headers: keyed)
            let again = try await client.call(.post, Self.path, body: Self.sale, headers: keyed)
            #expect(first.status == .created && again.status == .created)
            #expect(String(buffer: first.body) == String(buffer: again.body))
            let other = try await client.call(
                .post,
                Self.path,
                body: #"{"movements": [{"id": "First-Test", "qty": 5, "reason": "receipt"}]}"#,
                headers: keyed
            )
            #expect(other.status == .conflict)
            #expect(try other.exceptionCodes == ["21007"])
            #expect(try await storage.stockLevel(shop: 10010, product: "First-Test")?.onHand == 98)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aShopsMovementsAreListedNewestFirstAPageAtATime(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, _ async throws in
            #expect(try await client.call(.post, Self.path, body: Self.sale, headers: Self.admin()).status == .created)
            let receipt = #"{"movements": [{"id": "Second-Test", "qty": 4, "reason": "receipt"}]}"#
            #expect(try await client.call(.post, Self.path, body: receipt, headers: Self.admin()).status == .created)
            let first = try await client.call(.get, "\(Self.path)?limit=1", headers: Self.admin()).json
            let newest = try #require((first["data"] as? [[String: Any]])?.first)
            #expect(newest["id"] as? String == "Second-Test" && newest["qty"] as? Int == 4 && newest["reason"] as? String == "receipt")
            #expect((newest["movementId"] as? String)?.hasPrefix("CENTRAL:") == true && newest["internalKeyId"] is Int && newest["created"] is String)
            let next = try #require(first["next"] as? String)
            let second = try await client.call(.get, "\(Self.path)?limit=1&after=\(next)", headers: Self.admin()).json
            #expect((second["data"] as? [[String: Any]])?.first?["reference"] as? String == "till-3/991")
            let one = try await client.call(.get, "\(Self.path)?product=First-Test", headers: Self.admin()).json
            #expect((one["data"] as? [[String: Any]])?.allSatisfy { $0["id"] as? String == "First-Test" } == true)
            #expect((one["data"] as? [[String: Any]])?.first?["qty"] as? Int == -2, "the sale, then the demo's count")
            #expect(try await client.call(.get, "/api/v1/shops/10020/movements", headers: LiveServer.basic("tje0", "Tje0")).status == .forbidden)
            #expect(try await client.call(.get, "\(Self.path)?after=x", headers: Self.admin()).status == .badRequest)
        }
    }

    @Test func badInputChangesNothing() async throws {
        try await LiveServer.run(on: .sqlite) { client, storage async throws in
            let bad = try await client.call(
                .post,
                Self.path,
                body: #"{"movements": [{"id": "First-Test", "qty": 2, "reason": "sale"}]}"#,
                headers: Self.admin()
            )
            #expect(bad.status == .badRequest)
            #expect(try bad.errorFields == ["movements[0].qty"])
            let unknown = try await client.call(
                .post,
                Self.path,
                body: #"{"movements": [{"id": "First-Test", "qty": -1, "reason": "sale"}, {"id": "Nope", "qty": 1, "reason": "receipt"}]}"#,
                headers: Self.admin()
            )
            #expect(unknown.status == .badRequest)
            #expect(try unknown.exceptionCodes == ["21002"])
            let noShop = try await client.call(.post, "/api/v1/shops/999/movements", body: Self.sale, headers: Self.admin())
            #expect(noShop.status == .notFound)
            #expect(try noShop.exceptionCodes == ["21006"])
            #expect(try await storage.stockLevel(shop: 10010, product: "First-Test")?.onHand == 100)
            #expect(try await client.call(.post, Self.path, body: Self.sale).status == .forbidden, "tje0 lacks the right stock")
            #expect(try await client.call(.get, "/api/v1/shops/10010/stock", headers: LiveServer.basic("tje0", "Tje0")).status == .badRequest)
        }
    }

    /// Sales from many tills at once, some sent twice with the same key: each counts once, and on
    /// hand stays the sum of the movements.
    @Test(arguments: TestDatabase.allCases)
    func concurrentSalesEachCountOnce(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, storage async throws in
            let statuses = try await client.concurrentStatuses(
                120,
                .post,
                Self.path,
                headers: { index in Self.admin([HTTPField.Name("Idempotency-Key")!: "sale-\(index % 60)"]) },
                body: { _ in #"{"movements": [{"id": "SKU-00001", "qty": -1, "reason": "sale"}, {"id": "SKU-00002", "qty": -1, "reason": "sale"}]}"# }
            )
            #expect(statuses == Array(repeating: .created, count: 120))
            for product in ["SKU-00001", "SKU-00002"] {
                #expect(try await storage.stockLevel(shop: 10010, product: product)?.onHand == 940)
                #expect(try await storage.movementTotal(shop: 10010, product: product) == 940)
            }
        }
    }
}
