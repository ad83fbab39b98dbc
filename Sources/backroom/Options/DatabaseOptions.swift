import ArgumentParser
import BackroomCore
import BackroomStorage
import Logging

struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "sqlite:PATH or postgres://USER:PASS@HOST:PORT/DB (env BACKROOM_DATABASE; default \(DatabaseLocation.defaultValue)).",
            valueName: "url"
        )
    )
    var database: String?

    func location() throws(ConfigurationError) -> DatabaseLocation {
        try DatabaseLocation(parsing: EnvironmentFallback.value(database, "BACKROOM_DATABASE") ?? DatabaseLocation.defaultValue)
    }

    /// Opens the database, brings its schema up to date, runs `body`, and closes it again.
    @discardableResult
    func withStorage<Result: Sendable>(_ body: @Sendable (any BackroomStorage) async throws -> Result) async throws -> Result {
        let location = try location()
        let storage = try StorageFactory.open(location, clock: .system, logger: CommandLogger.make(level: .error))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await storage.run() }
            defer { group.cancelAll() }
            try await StartupCheck.migrate(storage, location: location)
            return try await body(storage)
        }
    }
}

enum CommandLogger {
    static func make(level: Logger.Level, label: String = "backroom") -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = level
        return logger
    }
}
