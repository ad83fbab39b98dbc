import ArgumentParser
import BackroomCore
import BackroomSecurity
import BackroomStorage

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Manage API tokens.",
        subcommands: [Create.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a bearer token for a user and print it; only its SHA-256 fingerprint is stored."
        )

        @Option(help: "The user the token acts as.")
        var user: String

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let token = SecretToken.generate()
            try await database.withStorage { [user] storage in
                guard let stored = try await storage.user(named: user) else { throw StorageError.unknownUser(user) }
                try await storage.addAPIToken(fingerprint: SecretToken.fingerprint(token), userID: stored.principal.userID)
                try await CommandAudit.record(storage, action: "token.create", target: "user \(user)")
            }
            print(token)
        }
    }
}
