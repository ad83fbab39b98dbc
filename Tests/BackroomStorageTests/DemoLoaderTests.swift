import BackroomCore
import BackroomSecurity
import BackroomStorage
import BackroomTestSupport
import Testing

struct DemoLoaderTests {
    @Test(arguments: TestDatabase.allCases)
    func theDemoLoadsOnceAndAgainChangesNothing(_ database: TestDatabase) async throws {
        try await database.withStorage { storage, _ async throws in
            let first = try await DemoLoader.load(into: storage, origin: .central)
            #expect(first.stockLinesAdded == 10_004)
            #expect(first.usersAdded.sorted() == ["admin", "tje0"])
            #expect(first.serversAdded.sorted() == ["CENTRAL", "VALLBLANCA"])

            try await storage.setStock(shop: 10010, [StockSetting(product: "First-Test", onHand: 97, blocked: 0)], origin: .central, at: 1)
            let second = try await DemoLoader.load(into: storage, origin: .central)
            #expect(second.stockLinesAdded == 0 && second.usersAdded.isEmpty && second.serversAdded.isEmpty)
            #expect(try await storage.stockLevel(shop: 10010, product: "First-Test")?.onHand == 97)

            #expect(try await storage.stockLevel(shop: 10010, product: "SKU-10000")?.onHand == 1000)
            #expect(try await storage.stockLevel(shop: 10020, product: "First-Test")?.onHand == 50)
            #expect(try await storage.movementTotal(shop: 10010, product: "SKU-00001") == 1000)

            let tje0 = try #require(try await storage.user(named: "tje0"))
            #expect(try await PasswordHasher.verify("Tje0", against: tje0.passwordHash))
            #expect(tje0.principal.rights == [.reservation, .atp, .erpsync])
            #expect(tje0.principal.shops == [10010])

            let store = try #require(try await storage.server(key: try ServerKey("VALLBLANCA")))
            #expect(store.registration.url == "http://127.0.0.1:8081")
            #expect(store.registration.shops == [10010])
            #expect(store.tokenFingerprint == SecretToken.fingerprint("demo-vallblanca-token"))
        }
    }
}
