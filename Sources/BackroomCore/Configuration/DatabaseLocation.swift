import Foundation

/// Where a server keeps its data, parsed from `--database` / `BACKROOM_DATABASE`.
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresLocation)

    public static let defaultValue = "sqlite:backroom.sqlite"

    public init(parsing text: String) throws(ConfigurationError) {
        if text.hasPrefix("sqlite:") {
            let path = String(text.dropFirst("sqlite:".count))
            guard !path.isEmpty else {
                throw ConfigurationError("database 'sqlite:' needs a file path, e.g. sqlite:backroom.sqlite")
            }
            self = .sqlite(path: path)
        } else if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            self = .postgres(try PostgresLocation(parsing: text))
        } else {
            throw ConfigurationError(
                "database must be sqlite:PATH or postgres://USER:PASS@HOST:PORT/DB, got '\(Self.redactingPassword(in: text))'"
            )
        }
    }

    /// The location with any password replaced, fit for logs and error messages.
    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let location): location.description
        }
    }

    static func redactingPassword(in text: String) -> String {
        guard let at = text.lastIndex(of: "@"), let scheme = text.range(of: "://"),
              let colon = text[scheme.upperBound..<at].firstIndex(of: ":")
        else { return text }
        return String(text[..<text.index(after: colon)]) + "***" + String(text[at...])
    }
}

public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    public enum TLSMode: String, Sendable {
        case disable, prefer, require
    }

    public let host: String
    public let port: Int
    public let user: String
    public let password: String?
    public let database: String
    public let tls: TLSMode

    init(parsing text: String) throws(ConfigurationError) {
        let redacted = DatabaseLocation.redactingPassword(in: text)
        guard let components = URLComponents(string: text) else {
            throw ConfigurationError("database URL '\(redacted)' is not a valid URL")
        }
        guard let user = components.user, !user.isEmpty else {
            throw ConfigurationError("database URL '\(redacted)' names no user (postgres://USER:PASS@HOST:PORT/DB)")
        }
        let port = components.port ?? 5432
        guard (1...65535).contains(port) else {
            throw ConfigurationError("database URL '\(redacted)' has port \(port), outside 1...65535")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        var tls = TLSMode.prefer
        for item in components.queryItems ?? [] where item.name == "sslmode" {
            guard let value = item.value, let mode = TLSMode(rawValue: value) else {
                throw ConfigurationError("database URL '\(redacted)': sslmode must be disable, prefer or require")
            }
            tls = mode
        }
        self.host = components.host.flatMap { $0.isEmpty ? nil : $0 } ?? "localhost"
        self.port = port
        self.user = user.removingPercentEncoding ?? user
        self.password = components.password.map { $0.removingPercentEncoding ?? $0 }
        self.database = database.isEmpty ? user : database
        self.tls = tls
    }

    public var description: String {
        let secret = password == nil ? "" : ":***"
        return "postgres://\(user)\(secret)@\(host):\(port)/\(database)"
    }
}
