import ArgumentParser
import BackroomCore
import BackroomSync

/// `backroom retention run`: what a server does every hour by itself, now (after the retention
/// preferences were lowered, or on a database no server runs on).
struct RetentionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retention",
        abstract: "Delete what is kept no longer: finished reservations and movements every consumer has.",
        subcommands: [Run.self]
    )

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run retention once now, as a server does every hour (backroom.retention.* preferences)."
        )

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let report = try await database.withEngine { engine, storage in
                try await RetentionRun(storage: storage, engine: engine, clock: .system, logger: CommandLogger.make(level: .error)).run()
            }
            print("deleted \(report.reservations) finished reservations and \(report.movements) movements")
        }
    }
}
