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

    /// One server of the URL's host list.
    public struct Endpoint: Sendable, Equatable, CustomStringConvertible {
        public let host: String
        public let port: Int

        public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
    }

    /// The servers to try, in order, as libpq takes them (`host1:5432,host2:5433`).
    public let endpoints: [Endpoint]
    public let user: String
    public let password: String?
    public let database: String
    public let tls: TLSMode
    /// `target_session_attrs=read-write` (or `primary`): only a server that takes writes will do,
    /// and when it stops being one, the next that does is looked for.
    public let requiresPrimary: Bool

    public var host: String { endpoints[0].host }
    public var port: Int { endpoints[0].port }

    init(parsing text: String) throws(ConfigurationError) {
        let redacted = DatabaseLocation.redactingPassword(in: text)
        // URLComponents takes one host: the list is read apart, the rest with the first host.
        let (single, hostList) = Self.splittingHostList(text)
        guard let components = URLComponents(string: single) else {
            throw ConfigurationError("database URL '\(redacted)' is not a valid URL")
        }
        guard let user = components.user, !user.isEmpty else {
            throw ConfigurationError("database URL '\(redacted)' names no user (postgres://USER:PASS@HOST:PORT/DB)")
        }
        var endpoints: [Endpoint] = []
        for entry in hostList ?? [components.port.map { "\(components.host ?? ""):\($0)" } ?? (components.host ?? "")] {
            guard let endpoint = Self.endpoint(entry) else {
                throw ConfigurationError("database URL '\(redacted)' has the host '\(entry)', not HOST or HOST:PORT with a port in 1...65535")
            }
            endpoints.append(endpoint)
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        var tls = TLSMode.prefer
        var requiresPrimary = false
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let value = item.value, let mode = TLSMode(rawValue: value) else {
                    throw ConfigurationError("database URL '\(redacted)': sslmode must be disable, prefer or require")
                }
                tls = mode
            case "target_session_attrs":
                guard let value = item.value, ["any", "read-write", "primary"].contains(value) else {
                    throw ConfigurationError("database URL '\(redacted)': target_session_attrs must be any, read-write or primary")
                }
                requiresPrimary = value != "any"
            default: continue
            }
        }
        self.endpoints = endpoints
        self.user = user.removingPercentEncoding ?? user
        self.password = components.password.map { $0.removingPercentEncoding ?? $0 }
        self.database = database.isEmpty ? user : database
        self.tls = tls
        self.requiresPrimary = requiresPrimary
    }

    /// The URL with only the first of several hosts, and the list; nil for one host.
    private static func splittingHostList(_ text: String) -> (String, [String]?) {
        guard let scheme = text.range(of: "://") else { return (text, nil) }
        let rest = text[scheme.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        let hostsStart = authority.lastIndex(of: "@").map { authority.index(after: $0) } ?? authority.startIndex
        let hosts = authority[hostsStart...]
        guard hosts.contains(",") else { return (text, nil) }
        let list = hosts.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        return (String(text[..<hostsStart]) + list[0] + String(rest[authorityEnd...]), list)
    }

    private static func endpoint(_ entry: String) -> Endpoint? {
        var host = entry
        var port = 5432
        if let colon = entry.lastIndex(of: ":"), !entry.hasSuffix("]") {
            guard let number = Int(entry[entry.index(after: colon)...]) else { return nil }
            host = String(entry[..<colon])
            port = number
        }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard (1...65535).contains(port) else { return nil }
        return Endpoint(host: host.isEmpty ? "localhost" : host, port: port)
    }

    public var description: String {
        let secret = password == nil ? "" : ":***"
        let attributes = requiresPrimary ? "?target_session_attrs=read-write" : ""
        return "postgres://\(user)\(secret)@\(endpoints.map(\.description).joined(separator: ","))/\(database)\(attributes)"
    }
}
