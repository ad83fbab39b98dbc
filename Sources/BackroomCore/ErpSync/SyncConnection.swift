/// One connection the engine visits each round: a store link, an ERP folder or an ERP's HTTP endpoint.
public struct SyncConnection: Sendable, Equatable {
    public let id: Int64
    public let kind: ConnectorKind
    /// The `ErpConnectorId`: the built-in connector's, or the HTTP connector entity's.
    public let connectorId: Int64
    public let name: String
    /// A random UUID given when the connection was made, the agent API's `ConnectionId`.
    public let uuid: String
    public let active: Bool
    public let deleted: Bool
    /// What the connector needs, by name: `url` and `serverKey` of a store, `folder` of an ERP,
    /// `token` and `batchSize` of an HTTP endpoint. Secrets are sealed as stored.
    public let config: [String: String]
    /// Its place in a round, from `SaveErpConnectionSyncPriorities`; nil: after those with one.
    public let priority: Int?
    /// When a visit last succeeded, and what the last one that failed said.
    public let lastSuccessAt: Int64?
    public let lastError: String?

    public init(
        id: Int64,
        kind: ConnectorKind,
        connectorId: Int64,
        name: String,
        uuid: String,
        active: Bool,
        deleted: Bool,
        config: [String: String],
        priority: Int? = nil,
        lastSuccessAt: Int64?,
        lastError: String?
    ) {
        self.id = id
        self.kind = kind
        self.connectorId = connectorId
        self.name = name
        self.uuid = uuid
        self.active = active
        self.deleted = deleted
        self.config = config
        self.priority = priority
        self.lastSuccessAt = lastSuccessAt
        self.lastError = lastError
    }

    /// Its settings by its connector's type; throws what is wrong with them.
    public var settings: ConnectionSettings {
        get throws(ConnectorSettingProblem) { try ConnectionSettings(kind: kind, fields: config) }
    }

    /// The server a store or central link visits: its `serverKey` setting, else its name (a link
    /// is named for its server); nil for other connections.
    public var linkedServer: String? {
        guard let link = (try? settings)?.link else { return nil }
        return link.serverKey ?? name
    }

    /// What the connection's description names: a store's URL or the ERP folder.
    public var target: String {
        (try? settings)?.target ?? name
    }

    /// The same connection with other settings.
    public func with(config: [String: String]) -> SyncConnection {
        SyncConnection(
            id: id,
            kind: kind,
            connectorId: connectorId,
            name: name,
            uuid: uuid,
            active: active,
            deleted: deleted,
            config: config,
            priority: priority,
            lastSuccessAt: lastSuccessAt,
            lastError: lastError
        )
    }

    /// The settings as they may be shown: secrets left out.
    public var visibleConfig: [String: String] {
        let secrets = Set(kind.fields.filter(\.isSecret).map(\.key))
        return config.filter { !secrets.contains($0.key) }
    }

    /// The order of a round's visits: those given a priority first, by it, then the rest by id.
    public static func visitOrder(_ connections: [SyncConnection]) -> [SyncConnection] {
        connections.sorted { left, right in
            switch (left.priority, right.priority) {
            case let (l?, r?) where l != r: l < r
            case (_?, nil): true
            case (nil, _?): false
            default: left.id < right.id
            }
        }
    }

    /// The priorities `SaveErpConnectionSyncPriorities` gives: each listed id its place, the
    /// first mention of an id counting; nil when an id is not among `known`.
    public static func priorities(listing ids: [Int64], known: Set<Int64>) -> [Int64]? {
        var seen = Set<Int64>()
        var order: [Int64] = []
        for id in ids {
            guard known.contains(id) else { return nil }
            if seen.insert(id).inserted { order.append(id) }
        }
        return order
    }
}

/// A connection about to be made.
public struct NewSyncConnection: Sendable, Equatable {
    public let kind: ConnectorKind
    public let connectorId: Int64
    public let name: String
    public let uuid: String
    public let config: [String: String]

    public init(kind: ConnectorKind, connectorId: Int64, name: String, uuid: String, config: [String: String]) {
        self.kind = kind
        self.connectorId = connectorId
        self.name = name
        self.uuid = uuid
        self.config = config
    }
}

/// An HTTP connector: an ERP endpoint that connections deliver movements to.
public struct ConnectorEntity: Sendable, Equatable {
    public let id: Int64
    public let name: String
    public let url: String
    public let deleted: Bool

    public init(id: Int64, name: String, url: String, deleted: Bool) {
        self.id = id
        self.name = name
        self.url = url
        self.deleted = deleted
    }

    /// The first thing wrong with the entity's own values; nil when they are fine.
    public var problem: ConnectorSettingProblem? {
        if name.isEmpty { return .missing(field: "DisplayName") }
        if name.count > 255 { return .tooLong(field: "DisplayName", maxLength: 255) }
        if url.isEmpty { return .missing(field: "URL") }
        if url.count > 2000 { return .tooLong(field: "URL", maxLength: 2000) }
        if !HTTPURL.isValid(url) { return .notHTTPURL(field: "URL") }
        return nil
    }
}
