import BackroomCore
import Testing

struct DemoDataTests {
    @Test func stockMatchesTheContract() {
        let stock = DemoData.stock
        func onHand(_ shop: Int, _ product: String) -> Int64? {
            stock.first { $0.shop == shop && $0.product == product }?.onHand
        }
        #expect(onHand(10010, "First-Test") == 100)
        #expect(onHand(10010, "Second-Test") == 5)
        #expect(onHand(10010, "Sold-Out") == 0)
        #expect(onHand(10010, "SKU-00001") == 1000)
        #expect(onHand(10010, "SKU-10000") == 1000)
        #expect(onHand(10020, "First-Test") == 50)
        #expect(onHand(10020, "Second-Test") == nil)
        #expect(stock.count == 10_004)
    }

    @Test func aSmallerDemoKeepsTheExamplesAndTheFirstLoadTestProducts() {
        #expect(DemoData.stock(loadTestProducts: 0).map(\.product) == ["First-Test", "Second-Test", "Sold-Out", "First-Test"])
        let small = DemoData.stock(loadTestProducts: 100)
        #expect(small.count == 104)
        #expect(Array(small.prefix(104 - 1)) == Array(DemoData.stock.prefix(104 - 1)))
        #expect(small.last == DemoData.stock.last)
    }

    @Test func loadTestProductsAreNumberedWithFiveDigits() {
        #expect(DemoData.loadTestProductID(1) == "SKU-00001")
        #expect(DemoData.loadTestProductID(10_000) == "SKU-10000")
    }

    @Test func usersAndServersMatchTheContract() {
        let tje0 = DemoData.users.first { $0.name == "tje0" }
        #expect(tje0?.rights == [.reservation, .atp, .erpsync])
        #expect(tje0?.shops == [10010])
        let store = DemoData.servers.first { $0.registration.key.value == "VALLBLANCA" }
        #expect(store?.registration.url == "http://127.0.0.1:8081")
        #expect(store?.registration.shops == [10010])
        #expect(store?.token == "demo-vallblanca-token")
    }
}
