import ArgumentParser
import BackroomCore
import BackroomSecurity
import BackroomStorage

struct ServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "server",
        abstract: "Manage the registry of Backroom servers.",
        subcommands: [Add.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a server. For a store, prints the token it must be started with (--central-token); only its fingerprint is stored."
        )

        @Argument(help: "The server's key: 1 to 32 of A-Z, a-z, 0-9, '_' and '-'.")
        var key: String

        @Option(help: "Where the server listens, e.g. http://10.0.3.2:8080.")
        var url: String

        @Option(help: "store or main (default store).")
        var type: String = ServerType.store.rawValue

        @Option(help: "A display name (default: the key).")
        var name: String?

        @Option(name: .customLong("shop"), help: "A shop the server serves; repeat for several.")
        var shops: [Int] = []

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let key = try ServerKey(key)
            guard let type = ServerType(rawValue: type) else {
                throw ConfigurationError("server type must be store or main, got '\(type)'")
            }
            let registration = ServerRegistration(
                key: key,
                name: name ?? key.value,
                type: type,
                url: try ServerURL.validate(url, option: "--url"),
                shops: shops.sorted()
            )
            let token = type == .store ? SecretToken.generate() : nil
            try await database.withStorage { storage in
                try await storage.registerServer(registration, tokenFingerprint: token.map(SecretToken.fingerprint))
                try await CommandAudit.record(
                    storage,
                    action: "server.create",
                    target: "server \(registration.key.value)",
                    detail: .object([
                        "type": .string(registration.type.rawValue), "url": registration.url.map(JSONValue.string) ?? .null,
                        "shops": .array(registration.shops.map { .integer(Int64($0)) }),
                    ])
                )
            }
            print(token ?? "server \(key) registered")
        }
    }
}
