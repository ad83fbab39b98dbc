import ArgumentParser
import BackroomCore
import BackroomStorage

struct PreferenceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preference",
        abstract: "Manage preferences, read by the server on every use.",
        subcommands: [Set.self]
    )

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a preference.",
            discussion: Preference.allCases.map { preference in
                let range =
                    preference.unit == .flag
                    ? "Y or N" : "\(preference.allowedRange.lowerBound)...\(preference.allowedRange.upperBound) \(preference.unit.rawValue)"
                return "\(preference.rawValue): \(range), default \(preference.text(of: preference.defaultValue))"
            }.joined(separator: "\n")
        )

        @Argument(help: "The preference's name.")
        var name: String

        @Argument(help: "Its new value.")
        var value: String

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let preference = try Preference.named(name)
            let number = try preference.validate(value)
            try await database.withStorage { storage in
                try await storage.setPreference(preference, value: number)
                try await CommandAudit.record(
                    storage,
                    action: "preference.set",
                    target: "preference \(preference.rawValue)",
                    detail: .object(["value": .string(preference.text(of: number))])
                )
            }
            let unit = [.flag, .count].contains(preference.unit) ? "" : " \(preference.unit.rawValue)"
            print("\(preference.rawValue) = \(preference.text(of: number))\(unit)")
        }
    }
}
