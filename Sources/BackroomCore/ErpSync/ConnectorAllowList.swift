/// The hosts an HTTP connector may reach although they are internal (loopback, link-local, the
/// unspecified address): `--connector-allow HOST[:PORT]`. Everything else internal is refused,
/// so that an ERP integrator cannot make the server call its own services, a neighbour's admin
/// port or a cloud's metadata service, nor use it to tell open ports from closed.
public struct ConnectorAllowList: Sendable, Equatable {
    struct Entry: Sendable, Equatable {
        let host: String
        /// nil: any port of the host.
        let port: Int?
    }

    private let entries: [Entry]

    public static let none = ConnectorAllowList(entries: [])

    private init(entries: [Entry]) {
        self.entries = entries
    }

    /// Reads `erp.local`, `127.0.0.1:9000`, `[::1]:9000`, one entry per text.
    public init(parsing texts: [String]) throws(ConfigurationError) {
        entries = try texts.map { text throws(ConfigurationError) in
            guard let entry = Self.entry(text) else {
                throw ConfigurationError("--connector-allow takes HOST or HOST:PORT (an IPv6 address in brackets), got '\(text)'")
            }
            return entry
        }
    }

    private func allows(host: String, port: Int) -> Bool {
        let host = Self.normalized(host)
        return entries.contains { $0.host == host && ($0.port == nil || $0.port == port) }
    }

    /// Why a connector may not reach `host` (a name or an address without brackets) at
    /// `addresses` (what it resolves to); nil when it may.
    public func refusal(host: String, port: Int, addresses: [NetworkAddress]) -> String? {
        guard !allows(host: host, port: port) else { return nil }
        guard let inside = addresses.first(where: { address in AddressRange.internalOnly.contains { $0.contains(address) } }) else { return nil }
        return "\(host) is an internal address (\(inside)); the operator allows such a host with --connector-allow"
    }

    private static func entry(_ text: String) -> Entry? {
        let host: Substring
        var port: Int?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":"), let number = Int(rest.dropFirst()) else { return nil }
                port = number
            }
        } else {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard (1...2).contains(parts.count) else { return nil }
            host = parts[0]
            if parts.count == 2 {
                guard let number = Int(parts[1]) else { return nil }
                port = number
            }
        }
        guard !host.isEmpty, port.map({ (1...65535).contains($0) }) ?? true else { return nil }
        return Entry(host: normalized(String(host)), port: port)
    }

    /// Host names compare without case; an address in its one written form.
    private static func normalized(_ host: String) -> String {
        NetworkAddress(host)?.description ?? host.lowercased()
    }
}
