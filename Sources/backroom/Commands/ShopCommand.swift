import ArgumentParser
import BackroomCore
import BackroomStorage

struct ShopCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shop",
        abstract: "Manage shops.",
        subcommands: [Add.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a shop, so that stock can be set and servers and users given it; refused if the id is taken."
        )

        @Argument(help: "The shop's id, a positive whole number (the reservation API's {shopId}).")
        var id: Int

        @Option(help: "The shop's name (1 to 100 characters).")
        var name: String

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            guard id > 0 else { throw ConfigurationError("the shop id must be a positive whole number") }
            guard (1...100).contains(name.unicodeScalars.count) else { throw ConfigurationError("--name must be 1 to 100 characters") }
            let shop = Shop(id: id, name: name)
            try await database.withStorage { storage in
                if let existing = try await storage.shops([shop.id]).first {
                    throw ConfigurationError("shop \(existing.id) already exists (\(existing.name))")
                }
                try await storage.addMissingShops([shop])
                try await CommandAudit.record(storage, action: "shop.add", target: "shop \(shop.id)", detail: .object(["name": .string(shop.name)]))
            }
            print("shop \(id) added: \(name)")
        }
    }
}
