/// A connection's settings, one type per connector, read from its `ConfigFields` (the agent API's
/// map of text, as stored) and checked there once: connectors read these, never the map.
public enum ConnectionSettings: Sendable, Equatable {
    case storeLink(Link)
    case centralLink(Link)
    case erpFiles(ErpFolder)
    case http(HTTPDelivery)

    /// A link to another server of the registry.
    public struct Link: Sendable, Equatable {
        public let serverKey: String?
        /// Where the server answers, as the registry had it when the link was made.
        public let url: String?

        public init(serverKey: String?, url: String?) {
            self.serverKey = serverKey
            self.url = url
        }

        /// The link as `ConfigFields`, as it is stored.
        public var fields: [String: String] {
            var fields: [String: String] = [:]
            fields["serverKey"] = serverKey
            fields["url"] = url
            return fields
        }
    }

    /// A folder the ERP and the engine exchange files in.
    public struct ErpFolder: Sendable, Equatable {
        public let folder: String

        public init(folder: String) {
            self.folder = folder
        }
    }

    /// An ERP endpoint movements are delivered to.
    public struct HTTPDelivery: Sendable, Equatable {
        /// The bearer token, sealed as stored and open as a visit uses it.
        public let token: String?
        public let batchSize: Int
        public let timeoutSeconds: Int64
    }

    /// The settings `fields` give a connection of `kind`; throws the first thing wrong with them.
    public init(kind: ConnectorKind, fields: [String: String]) throws(ConnectorSettingProblem) {
        if let problem = kind.problem(with: fields) { throw problem }
        func text(_ key: String) -> String? { fields[key].flatMap { $0.isEmpty ? nil : $0 } }
        switch kind {
        case .storeLink: self = .storeLink(Link(serverKey: text("serverKey"), url: text("url")))
        case .centralLink: self = .centralLink(Link(serverKey: text("serverKey"), url: text("url")))
        case .erpFiles: self = .erpFiles(ErpFolder(folder: text("folder") ?? ""))
        case .http:
            // Checked above: each integer is within its field's range, or absent and its default.
            let batchSize = kind.integer("batchSize", in: fields) ?? 0
            let timeoutSeconds = kind.integer("timeoutSeconds", in: fields) ?? 0
            self = .http(HTTPDelivery(token: text("token"), batchSize: Int(batchSize), timeoutSeconds: timeoutSeconds))
        }
    }

    /// The link's settings, of a store or central link.
    public var link: Link? {
        switch self {
        case .storeLink(let link), .centralLink(let link): link
        case .erpFiles, .http: nil
        }
    }

    /// What the connection's description names: a store's URL or key, the ERP folder.
    var target: String? {
        switch self {
        case .storeLink(let link), .centralLink(let link): link.url ?? link.serverKey
        case .erpFiles(let erp): erp.folder
        case .http: nil
        }
    }
}
