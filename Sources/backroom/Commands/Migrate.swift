import ArgumentParser

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply the database migrations that are missing (safe to run twice, or from two processes at once)."
    )

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let applied = try await database.withStorage { storage in try await storage.appliedMigrations() }
        print("\(try database.location()) is at schema version \(applied.last ?? 0)")
    }
}
