/// The demo data of the product contract: enough for every example of the seed documents to
/// work as written against `backroom serve --demo`, plus 10,000 products for load tests.
public enum DemoData {
    public struct User: Sendable {
        public let name: String
        public let password: String
        public let rights: Set<Right>
        public let shops: Set<Int>
    }

    public static let shops = [
        Shop(id: 10010, name: "Vallblanca"),
        Shop(id: 10020, name: "Web shop"),
    ]

    public static let loadTestProductCount = 10_000

    public static func loadTestProductID(_ number: Int) -> String {
        let digits = String(number)
        return "SKU-" + String(repeating: "0", count: max(0, 5 - digits.count)) + digits
    }

    /// The stock of `serve --demo`: the lines the seed documents' examples use and the
    /// load-test products.
    public static var stock: [StockLevel] { stock(loadTestProducts: loadTestProductCount) }

    /// The examples' lines with the first `count` load-test products, for a test suite that
    /// starts hundreds of servers.
    public static func stock(loadTestProducts count: Int) -> [StockLevel] {
        var levels = [
            StockLevel(shop: 10010, product: "First-Test", onHand: 100, blocked: 0),
            StockLevel(shop: 10010, product: "Second-Test", onHand: 5, blocked: 0),
            StockLevel(shop: 10010, product: "Sold-Out", onHand: 0, blocked: 0),
        ]
        levels.reserveCapacity(count + 4)
        for number in stride(from: 1, through: count, by: 1) {
            levels.append(StockLevel(shop: 10010, product: loadTestProductID(number), onHand: 1000, blocked: 0))
        }
        levels.append(StockLevel(shop: 10020, product: "First-Test", onHand: 50, blocked: 0))
        return levels
    }

    public static let adminPassword = "admin"

    public static let users = [
        User(name: "admin", password: adminPassword, rights: Set(Right.allCases), shops: []),
        User(name: "tje0", password: "Tje0", rights: [.reservation, .atp, .erpsync], shops: [10010]),
    ]

    public static let vallblancaToken = "demo-vallblanca-token"

    public static var servers: [(registration: ServerRegistration, token: String?)] {
        [
            (ServerRegistration(key: .central, name: "Central", type: .main, url: nil, shops: []), nil),
            (
                ServerRegistration(
                    key: ServerKey(unchecked: "VALLBLANCA"),
                    name: "Vallblanca",
                    type: .store,
                    url: "http://127.0.0.1:8081",
                    shops: [10010]
                ),
                vallblancaToken
            ),
        ]
    }
}
