import ArgumentParser
import BackroomCore
import BackroomSecurity
import BackroomStorage

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Manage users.",
        subcommands: [Add.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a user. The password is stored as a bcrypt hash only.",
            discussion:
                "Rights: \(Right.allCases.map { right in right.legacyID.map { "\(right.rawValue) (\($0))" } ?? right.rawValue }.joined(separator: ", ")). 'admin' holds every right and every shop."
        )

        @Argument(help: "The user name (no ':' or white space).")
        var name: String

        @Option(help: "The password (env BACKROOM_USER_PASSWORD).")
        var password: String?

        @Option(name: .customLong("right"), help: "A right, by name or legacy id; repeat for several.")
        var rights: [String] = []

        @Option(name: .customLong("shop"), help: "A shop the user may act on; repeat for several.")
        var shops: [Int] = []

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let name = try UserName.validate(name)
            guard let password = EnvironmentFallback.value(password, "BACKROOM_USER_PASSWORD") else {
                throw ConfigurationError("user add needs --password (or BACKROOM_USER_PASSWORD)")
            }
            var granted = Set<Right>()
            for text in rights {
                guard let right = Right(named: text) else {
                    throw ConfigurationError("unknown right '\(text)'; rights are \(Right.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                granted.insert(right)
            }
            let hash = try await PasswordHasher.hash(password)
            let user = NewUser(name: name, passwordHash: hash, rights: granted, shops: Set(shops))
            try await database.withStorage { storage in
                try await storage.createUser(user)
                try await CommandAudit.record(
                    storage,
                    action: "user.create",
                    target: "user \(user.name)",
                    detail: .object([
                        "rights": .array(user.rights.sorted().map { .string($0.rawValue) }),
                        "shops": .array(user.shops.sorted().map { .integer(Int64($0)) }),
                    ])
                )
            }
            print(
                "user \(name) added with rights [\(granted.sorted().map(\.rawValue).joined(separator: ", "))] and shops [\(shops.sorted().map(String.init).joined(separator: ", "))]"
            )
        }
    }
}
