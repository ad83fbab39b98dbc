import ArgumentParser
import BackroomCore
import BackroomStorage

struct StockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stock",
        abstract: "Manage stock.",
        subcommands: [Set.self]
    )

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a product's on-hand stock (recorded as a count movement) and blocked quantity in a shop; creates the product there if new."
        )

        @Option(help: "The shop.")
        var shop: Int

        @Option(help: "The product id.")
        var product: String

        @Option(help: "On-hand quantity.")
        var qty: Int64

        @Option(help: "Blocked quantity (default: left as it is; 0 for a new product).")
        var blocked: Int64?

        @Option(help: "Server key recorded as the movement's origin (env BACKROOM_SERVER_KEY; default CENTRAL).")
        var serverKey: String?

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            guard ProductID.isValid(product) else {
                throw ConfigurationError("product id must be 1 to \(ProductID.maximumLength) characters")
            }
            guard qty >= 0, (blocked ?? 0) >= 0 else { throw ConfigurationError("--qty and --blocked must not be negative") }
            let origin = try ServerKeyOption.resolve(serverKey)
            let setting = StockSetting(product: product, onHand: qty, blocked: blocked)
            let level = try await database.withStorage { [shop, product] storage in
                try await storage.setStock(shop: shop, [setting], origin: origin, at: BackroomClock.system.nowMillis())
                try await CommandAudit.record(
                    storage,
                    action: "stock.set",
                    target: "shop \(shop)",
                    detail: .array([
                        .object([
                            "id": .string(product), "stock": .integer(setting.onHand), "blocked": setting.blocked.map(JSONValue.integer) ?? .null,
                        ])
                    ])
                )
                return try await storage.stockLevel(shop: shop, product: product)
            }
            print("shop \(shop) product \(product): on hand \(level?.onHand ?? qty), blocked \(level?.blocked ?? 0)")
        }
    }
}
