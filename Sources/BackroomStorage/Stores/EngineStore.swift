import BackroomCore

/// The sync engine's connections, its ERP imports and the lease that lets one process run rounds.
/// Every method is one transaction, and returns only once it is durable.
public protocol EngineStore: Sendable {
    /// The engine's connections by id; removed ones only with `includeDeleted`.
    func syncConnections(includeDeleted: Bool) async throws -> [SyncConnection]
    func syncConnection(id: Int64) async throws -> SyncConnection?
    /// Throws `StorageError.alreadyExists` when the connector has a connection of that name.
    @discardableResult
    func addSyncConnection(_ connection: NewSyncConnection) async throws -> SyncConnection
    /// The connection after the change; nil for an unknown or removed id.
    func setSyncConnection(id: Int64, active: Bool) async throws -> SyncConnection?
    /// Renames the connection and replaces its settings; nil for an unknown or removed id.
    /// Throws `StorageError.alreadyExists` when the connector has another connection of that name.
    func updateSyncConnection(id: Int64, name: String, config: [String: String]) async throws -> SyncConnection?
    /// Gives the listed connections their place in a round, in this order, and takes it from the rest.
    func setSyncPriorities(_ order: [Int64]) async throws
    /// The HTTP connector entities by id; removed ones only with `includeDeleted`.
    func connectorEntities(includeDeleted: Bool) async throws -> [ConnectorEntity]
    func connectorEntity(id: Int64) async throws -> ConnectorEntity?
    /// A new entity, numbered after the others.
    func addConnectorEntity(name: String, url: String) async throws -> ConnectorEntity
    /// Changes name and URL; nil for an unknown or removed id.
    func updateConnectorEntity(id: Int64, name: String, url: String) async throws -> ConnectorEntity?
    /// Marks the entity removed; false for an unknown id.
    func removeConnectorEntity(id: Int64) async throws -> Bool
    /// Marks the connection removed (it keeps its id and history); false for an unknown id.
    func removeSyncConnection(id: Int64) async throws -> Bool
    /// Notes a visit of the engine: success clears the last error, a failure keeps its text.
    func recordVisit(connection id: Int64, at now: Int64, error: String?) async throws
    /// Applies a file from the ERP whole, at most once per `key` and connection: products
    /// (names updated), stock counts (the difference as a `count` movement) and goods received
    /// (`receipt` movements), adding stock lines where new, all in one transaction that also
    /// notes the key. Returns false when the key was imported before. Throws
    /// `StorageError.unknownShop`.
    func importErpFile(_ file: ErpImport, connection id: Int64, key: String, origin: ServerKey, at now: Int64) async throws -> Bool
    /// Takes or renews the lease `name` for `holder` until `until`, if it is free, expired at
    /// `now`, or already the holder's; returns whether the holder has it.
    func holdLease(_ name: String, holder: String, until: Int64, now: Int64) async throws -> Bool
    /// Gives the lease up at once, if the holder has it, so that another process takes over.
    func releaseLease(_ name: String, holder: String) async throws
}
