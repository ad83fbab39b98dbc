import ArgumentParser
import BackroomCore
import BackroomSecurity
import BackroomStorage
import Foundation
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

    @Option(
        name: .long,
        help: ArgumentHelp(
            """
            The key that seals stored secrets such as HTTP connectors' tokens, made when missing (env BACKROOM_SECRET_KEY_FILE; \
            default beside a SQLite database as DATABASE.key, ~/.backroom/secret.key for PostgreSQL). Processes sharing a \
            database need the same key.
            """,
            valueName: "path"
        )
    )
    var secretKeyFile: String?

    func location() throws(ConfigurationError) -> DatabaseLocation {
        try DatabaseLocation(parsing: EnvironmentFallback.value(database, "BACKROOM_DATABASE") ?? DatabaseLocation.defaultValue)
    }

    /// The box for secrets, its key read from (or made in) the key file.
    func secrets() throws(ConfigurationError) -> SecretBox {
        let path: String =
            switch (EnvironmentFallback.value(secretKeyFile, "BACKROOM_SECRET_KEY_FILE"), try location()) {
            case (let path?, _): path
            case (nil, .sqlite(let database)): database + ".key"
            case (nil, .postgres): FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".backroom/secret.key").path
            }
        do {
            return try SecretBox.loadingOrCreatingKey(at: path)
        } catch {
            throw ConfigurationError("the secret key file \(path) cannot be read or made: \(error)")
        }
    }

    /// Opens the database, brings its schema up to date, runs `body`, and closes it again.
    @discardableResult
    func withStorage<Result: Sendable>(_ body: @Sendable (any BackroomStorage) async throws -> Result) async throws -> Result {
        let location = try location()
        // A command runs on the system's time: the one place it is chosen.
        let clock = BackroomClock.system
        let storage = try StorageFactory.open(location, clock: clock, logger: CommandLogger.make(level: .error))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await storage.run() }
            defer { group.cancelAll() }
            try await StartupCheck.migrate(storage, location: location, clock: clock)
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
