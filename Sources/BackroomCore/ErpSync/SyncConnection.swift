/// One connection the engine visits each round: a store link or an ERP folder.
public struct SyncConnection: Sendable, Equatable {
    public let id: Int64
    public let kind: ConnectorKind
    public let name: String
    /// A random UUID given when the connection was made, the agent API's `ConnectionId`.
    public let uuid: String
    public let active: Bool
    public let deleted: Bool
    /// What the connector needs, by name: `url` and `serverKey` of a store, `folder` of an ERP.
    public let config: [String: String]
    /// When a visit last succeeded, and what the last one that failed said.
    public let lastSuccessAt: Int64?
    public let lastError: String?

    public init(
        id: Int64, kind: ConnectorKind, name: String, uuid: String, active: Bool, deleted: Bool, config: [String: String],
        lastSuccessAt: Int64?, lastError: String?
    ) {
        self.id = id
        self.kind = kind
        self.name = name
        self.uuid = uuid
        self.active = active
        self.deleted = deleted
        self.config = config
        self.lastSuccessAt = lastSuccessAt
        self.lastError = lastError
    }

    /// What the connection's description names: a store's URL or the ERP folder.
    public var target: String {
        config["url"] ?? config["folder"] ?? config["serverKey"] ?? name
    }
}

/// A connection about to be made.
public struct NewSyncConnection: Sendable, Equatable {
    public let kind: ConnectorKind
    public let name: String
    public let uuid: String
    public let config: [String: String]

    public init(kind: ConnectorKind, name: String, uuid: String, config: [String: String]) {
        self.kind = kind
        self.name = name
        self.uuid = uuid
        self.config = config
    }
}
