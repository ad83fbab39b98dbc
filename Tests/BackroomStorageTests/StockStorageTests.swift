import BackroomCore
import BackroomStorage
import BackroomTestSupport
import Testing

struct StockStorageTests {
    static let shop = Shop(id: 10010, name: "Vallblanca")

    @Test(arguments: TestDatabase.allCases)
    func settingStockRecordsTheDifferenceAsACountMovement(_ database: TestDatabase) async throws {
        try await database.withStorage { storage, _ async throws in
            try await storage.addMissingShops([Self.shop])
            try await storage.setStock(shop: 10010, [StockSetting(product: "First-Test", onHand: 120, blocked: 3)], origin: .central, at: 1)
            try await storage.setStock(shop: 10010, [StockSetting(product: "First-Test", onHand: 90, blocked: 0)], origin: .central, at: 2)
            #expect(
                try await storage.stockLevel(shop: 10010, product: "First-Test")
                    == StockLevel(shop: 10010, product: "First-Test", onHand: 90, blocked: 0)
            )
            #expect(try await storage.movementTotal(shop: 10010, product: "First-Test") == 90)
            #expect(try await storage.stockLevel(shop: 10010, product: "Unknown") == nil)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func stockOfAnUnknownShopIsRefused(_ database: TestDatabase) async throws {
        try await database.withStorage { storage, _ async throws in
            await #expect(throws: StorageError.unknownShop(10030)) {
                try await storage.setStock(shop: 10030, [StockSetting(product: "First-Test", onHand: 1, blocked: 0)], origin: .central, at: 1)
            }
            await #expect(throws: StorageError.unknownShop(10030)) {
                try await storage.addMissingStock([StockLevel(shop: 10030, product: "A", onHand: 1, blocked: 0)], origin: .central)
            }
            #expect(try await storage.stockLevel(shop: 10030, product: "First-Test") == nil)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func missingStockIsAddedOnceAndExistingStockIsLeftAlone(_ database: TestDatabase) async throws {
        try await database.withStorage { storage, _ async throws in
            try await storage.addMissingShops([Self.shop])
            try await storage.setStock(shop: 10010, [StockSetting(product: "A", onHand: 7, blocked: 0)], origin: .central, at: 1)
            let levels = [
                StockLevel(shop: 10010, product: "A", onHand: 100, blocked: 0),
                StockLevel(shop: 10010, product: "B", onHand: 100, blocked: 2),
                StockLevel(shop: 10010, product: "C", onHand: 0, blocked: 0),
            ]
            #expect(try await storage.addMissingStock(levels, origin: .central) == 2)
            #expect(try await storage.addMissingStock(levels, origin: .central) == 0)
            #expect(try await storage.stockLevel(shop: 10010, product: "A")?.onHand == 7)
            #expect(try await storage.stockLevel(shop: 10010, product: "B") == StockLevel(shop: 10010, product: "B", onHand: 100, blocked: 2))
            #expect(try await storage.stockLevel(shop: 10010, product: "C")?.onHand == 0)
            #expect(try await storage.movementTotal(shop: 10010, product: "B") == 100)
        }
    }
}
