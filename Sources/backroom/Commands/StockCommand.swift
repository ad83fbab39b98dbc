import ArgumentParser
import BackroomCore
import BackroomStorage

struct StockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stock", abstract: "Manage stock.", subcommands: [Set.self]
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

        @Option(help: "Blocked quantity (default 0).")
        var blocked: Int64 = 0

        @Option(help: "Server key recorded as the movement's origin (env BACKROOM_SERVER_KEY; default CENTRAL).")
        var serverKey: String?

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            guard ProductID.isValid(product) else {
                throw ConfigurationError("product id must be 1 to \(ProductID.maximumLength) characters")
            }
            guard qty >= 0, blocked >= 0 else { throw ConfigurationError("--qty and --blocked must not be negative") }
            let origin = try ServerKeyOption.resolve(serverKey)
            let level = StockLevel(shop: shop, product: product, onHand: qty, blocked: blocked)
            try await database.withStorage { storage in try await storage.setStock(level, origin: origin, at: Clock.nowMillis()) }
            print("shop \(shop) product \(product): on hand \(qty), blocked \(blocked)")
        }
    }
}
