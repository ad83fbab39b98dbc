import BackroomCore
import BackroomStorage
import BackroomTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// A store's token reaches only its own shops, and no pushed figure can make a stock line
/// unreadable (issue 24, point 1).
struct PushScopeTests {
    static func movement(_ sequence: Int64, shop: Int = 10010, product: String = "First-Test", qty: Int64 = -1) -> JSONValue {
        ReplicatedMovement(
            origin: SyncEndpointTests.vallblanca,
            sequence: sequence,
            shop: shop,
            product: product,
            qty: qty,
            reason: qty < 0 ? .sale : .adjustment,
            reference: nil,
            createdAt: 1
        ).json
    }

    static func push(_ movements: JSONValue..., with client: any TestClientProtocol) async throws -> TestResponse {
        let body = JSONWriter.string(of: .object(["movements": .array(movements)]))
        return try await client.call(.post, "/sync/v1/push", body: body, headers: SyncEndpointTests.store)
    }

    @Test(arguments: TestDatabase.allCases)
    func aPushNamingAShopOfAnotherStoreIsRefusedWhole(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, storage async throws in
            // VALLBLANCA holds shop 10010 only; 10020 is central's web shop, 777 no shop at all.
            for shop in [10020, 777] {
                let refused = try await Self.push(Self.movement(1), Self.movement(2, shop: shop), with: client)
                #expect(refused.status == .badRequest)
                #expect(try (refused.json["error"] as? String)?.contains("\(shop) is not one of VALLBLANCA's") == true)
            }
            #expect(try await storage.stockLevel(shop: 10010, product: "First-Test")?.onHand == 100, "nothing of the batch applied")
            #expect(try await storage.stockLevel(shop: 10020, product: "First-Test")?.onHand == 50)
            #expect(try await storage.shops([777]).isEmpty, "no shop made")
            #expect(try await storage.highestSequence(of: SyncEndpointTests.vallblanca) == 0)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func pushedExtremesAreRefusedAndTheProductStaysReadable(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, storage async throws in
            for qty in [Int64.max, Int64.min, StockLevel.movementBounds.upperBound + 1] {
                #expect(try await Self.push(Self.movement(1, qty: qty), with: client).status == .badRequest, "qty \(qty)")
            }
            // Within a movement's bounds, but on hand would leave its own: the database refuses.
            let beyond = try await Self.push(Self.movement(1, qty: StockLevel.movementBounds.upperBound), with: client)
            #expect(beyond.status == .badRequest)
            #expect(try (beyond.json["error"] as? String)?.contains("on hand must stay") == true)
            let top = StockLevel.onHandBounds.upperBound
            let toTheTop = try await Self.push(Self.movement(1, qty: top - 100), with: client)
            #expect(toTheTop.status == .ok)
            #expect(try await Self.push(Self.movement(2, qty: 1), with: client).status == .badRequest)
            #expect(try await Self.push(Self.movement(2, qty: 1), Self.movement(3, qty: 1), with: client).status == .badRequest)
            #expect(try await storage.stockLevel(shop: 10010, product: "First-Test")?.onHand == top)
            let atp = try await client.availability("First-Test")
            #expect(atp["First-Test"]?["atp"] as? Int == Int(top) && atp["First-Test"]?["stock"] as? Int == Int(top))
            // Down again: the other bound holds the same way.
            let bottom = StockLevel.onHandBounds.lowerBound
            let down = try await Self.push(Self.movement(2, qty: bottom - top), with: client)
            #expect(down.status == .ok, "\(down.text)")
            #expect(try await Self.push(Self.movement(3, qty: -1), with: client).status == .badRequest)
            #expect(try await storage.stockLevel(shop: 10010, product: "First-Test")?.onHand == bottom)
            #expect(try await client.call(.get, "/servlets/services/atp/10010/First-Test").status == .ok)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func tillMovementsCannotTakeOnHandBeyondItsBounds(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, storage async throws in
            let admin = LiveServer.basic("admin", "admin").merging([.contentType: "application/json"])
            // A thousand receipts of the largest single quantity, and one more: 10^15 + 100.
            let receipt = #"{"id": "First-Test", "reason": "receipt", "qty": 1000000000000}"#
            let body = #"{"movements": [\#(Array(repeating: receipt, count: 1000).joined(separator: ","))]}"#
            let refused = try await client.call(.post, "/api/v1/shops/10010/movements", body: body, headers: admin)
            #expect(refused.status == .badRequest)
            #expect(try refused.errorFields == ["qty"])
            #expect(try await storage.stockLevel(shop: 10010, product: "First-Test")?.onHand == 100)
            let huge = #"{"movements": [{"id": "First-Test", "reason": "receipt", "qty": 9223372036854775807}]}"#
            #expect(try await client.call(.post, "/api/v1/shops/10010/movements", body: huge, headers: admin).status == .badRequest)
            #expect(try await client.call(.get, "/servlets/services/atp/10010/First-Test").status == .ok)
        }
    }
}

extension HTTPFields {
    func merging(_ other: HTTPFields) -> HTTPFields {
        var merged = self
        for field in other { merged[field.name] = field.value }
        return merged
    }
}
