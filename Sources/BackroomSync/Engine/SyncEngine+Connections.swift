import BackroomCore
import BackroomSecurity
import BackroomStorage
import Foundation

/// The engine's connections and connectors as the agent and the command line change them: two
/// doors to the same rows, with the same checks.
extension SyncEngine {
    /// A `SaveConnection`: id 0 makes a connection; nil leaves a value as it is.
    public struct ConnectionChange: Sendable {
        public let id: Int64
        public let connectorId: Int64?
        public let name: String?
        public let active: Bool?
        /// Secrets left out keep what is stored; given, they replace it.
        public let config: [String: String]?

        public init(id: Int64, connectorId: Int64?, name: String?, active: Bool?, config: [String: String]?) {
            self.id = id
            self.connectorId = connectorId
            self.name = name
            self.active = active
            self.config = config
        }
    }

    /// Why a change was refused, in words the caller's language has.
    public struct Refusal: Error, Sendable {
        public let text: ErpText
    }

    public enum ResyncOutcome: Sendable, Equatable {
        case unknown, deleted
        case started(ErpText)
    }

    // MARK: connections

    /// Every connection of the agent API, as stored: reading writes nothing (`linkRegistry`
    /// keeps the registry's links where the registry changes).
    public func connections(includeDeleted: Bool) async throws -> [SyncConnection] {
        try await storage.syncConnections(includeDeleted: includeDeleted)
    }

    /// One connection by id, removed ones too; nil for an unknown id.
    public func connection(id: Int64) async throws -> SyncConnection? {
        try await storage.syncConnection(id: id)
    }

    /// The connection after the change; nil for an unknown or removed id.
    public func setActive(_ active: Bool, connection id: Int64) async throws -> SyncConnection? {
        let changed = try await storage.setSyncConnection(id: id, active: active)
        poke()
        return changed
    }

    /// The connection as stored; nil for an unknown or deleted id. Throws `Refusal` for settings
    /// that are wrong, and then nothing is saved.
    public func save(_ change: ConnectionChange) async throws -> SyncConnection? {
        let saved: SyncConnection
        if change.id == 0 {
            saved = try await add(change)
        } else {
            guard let existing = try await storage.syncConnection(id: change.id), !existing.deleted else { return nil }
            if let connectorId = change.connectorId, connectorId != 0, connectorId != existing.connectorId { throw Refusal(text: .connectorChanged) }
            let config = try await checked(change.config.map { Self.merged($0, keeping: existing) } ?? existing.config, of: existing)
            guard
                let updated = try await renaming(
                    change.name ?? existing.name,
                    {
                        try await storage.updateSyncConnection(id: existing.id, name: $0, config: try sealed(config, of: existing.kind))
                    }
                )
            else { return nil }
            saved = updated
        }
        if let active = change.active, active != saved.active {
            return try await setActive(active, connection: saved.id)
        }
        poke()
        return saved
    }

    /// Marks the connection deleted: never visited again, its files left where they are.
    @discardableResult
    public func delete(connection id: Int64) async throws -> Bool {
        try await storage.removeSyncConnection(id: id)
    }

    /// Whether the connection could be reached with these settings (the stored ones for secrets
    /// not given); nothing is saved. False for an unknown id or settings that are wrong.
    public func test(connection id: Int64, config: [String: String]?) async -> Bool {
        guard let existing = try? await storage.syncConnection(id: id) else { return false }
        let candidate = existing.with(config: config.map { Self.merged($0, keeping: existing) } ?? existing.config)
        guard (try? await checked(candidate.config, of: candidate)) != nil, let opened = try? opened(candidate) else { return false }
        return await connectors[candidate.kind]?.test(opened) ?? false
    }

    public func test(_ connection: SyncConnection) async -> Bool {
        guard let opened = try? opened(connection) else { return false }
        return await connectors[connection.kind]?.test(opened) ?? false
    }

    /// Rounds visit the listed connections first, in this order; false, and nothing changed,
    /// when one of them does not exist.
    public func setPriorities(_ ids: [Int64]) async throws -> Bool {
        let known = Set(try await connections(includeDeleted: false).map(\.id))
        guard let order = SyncConnection.priorities(listing: ids, known: known) else { return false }
        try await storage.setSyncPriorities(order)
        return true
    }

    public func resync(connection id: Int64, ids: [Int64]) async throws -> ResyncOutcome {
        guard let connection = try await connection(id: id) else { return .unknown }
        guard !connection.deleted, let connector = connectors[connection.kind] else { return .deleted }
        let text = try await connector.resync(connection, ids: ids)
        poke()
        return .started(text)
    }

    /// The settings with secrets opened, as a connector needs them for a visit.
    func opened(_ connection: SyncConnection) throws -> SyncConnection {
        var config = connection.config
        for field in connection.kind.fields where field.isSecret {
            if let value = config[field.key], SecretBox.isSealed(value) { config[field.key] = try secrets.open(value) }
        }
        return connection.with(config: config)
    }

    private func add(_ change: ConnectionChange) async throws -> SyncConnection {
        let connectorId = change.connectorId ?? 0
        guard let kind = try await kind(ofConnector: connectorId) else { throw Refusal(text: .unknownConnector(connectorId)) }
        guard kind != .centralLink else { throw Refusal(text: .centralLinkMadeByServer) }
        let draft = NewSyncConnection(
            kind: kind,
            connectorId: connectorId,
            name: "",
            uuid: UUID().uuidString.lowercased(),
            config: change.config ?? [:]
        )
        let provisional = SyncConnection(
            id: 0,
            kind: kind,
            connectorId: connectorId,
            name: "",
            uuid: draft.uuid,
            active: true,
            deleted: false,
            config: draft.config,
            lastSuccessAt: nil,
            lastError: nil
        )
        let config = try await checked(draft.config, of: provisional)
        var name = change.name ?? ""
        if name.isEmpty { name = try await defaultName(of: kind, connectorId: connectorId, config: config) }
        return try await renaming(name) {
            try await storage.addSyncConnection(
                NewSyncConnection(kind: kind, connectorId: connectorId, name: $0, uuid: draft.uuid, config: try sealed(config, of: kind))
            )
        }
    }

    /// The settings if they are right, by themselves and for the world outside.
    private func checked(_ config: [String: String], of connection: SyncConnection) async throws -> [String: String] {
        do { _ = try ConnectionSettings(kind: connection.kind, fields: config) } catch { throw Refusal(text: .settingProblem(error)) }
        if let problem = await connectors[connection.kind]?.problem(with: connection.with(config: config)) {
            throw Refusal(text: .settingProblem(problem))
        }
        return config
    }

    private func renaming<Result>(_ name: String, _ body: (String) async throws -> Result) async throws -> Result {
        guard !name.isEmpty, name.count <= 255 else { throw Refusal(text: .settingProblem(.missing(field: "DisplayName"))) }
        do {
            return try await body(name)
        } catch StorageError.alreadyExists {
            throw Refusal(text: .settingProblem(.refused(field: "DisplayName", reason: "another connection of this connector is named \(name)")))
        }
    }

    private func defaultName(of kind: ConnectorKind, connectorId: Int64, config: [String: String]) async throws -> String {
        switch kind {
        case .storeLink, .centralLink: (try? ConnectionSettings(kind: kind, fields: config))?.link?.serverKey ?? "STORE"
        case .erpFiles: "ERP"
        case .http: try await storage.connectorEntity(id: connectorId)?.name ?? "HTTP"
        }
    }

    private func sealed(_ config: [String: String], of kind: ConnectorKind) throws -> [String: String] {
        var config = config
        for field in kind.fields where field.isSecret {
            if let value = config[field.key], !value.isEmpty, !SecretBox.isSealed(value) { config[field.key] = try secrets.seal(value) }
        }
        return config
    }

    /// Given settings, with the stored secrets the caller could not have seen and did not replace.
    private static func merged(_ given: [String: String], keeping existing: SyncConnection) -> [String: String] {
        var config = given
        for field in existing.kind.fields where field.isSecret && config[field.key] == nil {
            config[field.key] = existing.config[field.key]
        }
        return config
    }

    // MARK: connectors

    /// The kind a connector id names on this server: a built-in one it serves, or a live HTTP
    /// connector entity; nil for any other id.
    public func kind(ofConnector id: Int64) async throws -> ConnectorKind? {
        if let kind = ConnectorKind.builtIn(id: id) { return connectors[kind] == nil ? nil : kind }
        guard connectors[.http] != nil, let entity = try await storage.connectorEntity(id: id), !entity.deleted else { return nil }
        return .http
    }

    /// The built-in connectors this server serves, then the HTTP connector entities.
    public func connectors() async throws -> [(id: Int64, kind: ConnectorKind, entity: ConnectorEntity?)] {
        let builtIn = ConnectorKind.allCases.compactMap { kind in
            kind.builtInId.flatMap { connectors[kind] == nil ? nil : ($0, kind, nil as ConnectorEntity?) }
        }
        guard connectors[.http] != nil else { return builtIn }
        return builtIn + (try await storage.connectorEntities(includeDeleted: false)).map { ($0.id, .http, $0) }
    }

    /// An entity by id, the built-in connectors too (without a URL); nil for an unknown id.
    public func connectorEntity(id: Int64) async throws -> ConnectorEntity? {
        if let kind = ConnectorKind.builtIn(id: id) {
            return connectors[kind] == nil ? nil : ConnectorEntity(id: id, name: kind.name, url: "", deleted: false)
        }
        return try await storage.connectorEntity(id: id)
    }

    /// Id 0 makes an HTTP connector; nil for an unknown id. Throws `Refusal` for a built-in one
    /// or values that are wrong.
    public func saveConnectorEntity(_ entity: ConnectorEntity) async throws -> ConnectorEntity? {
        if ConnectorKind.builtIn(id: entity.id) != nil { throw Refusal(text: .connectorFixed(entity.id)) }
        if let problem = entity.problem { throw Refusal(text: .settingProblem(problem)) }
        if let forbidden = await httpConnector?.forbidden(entity.url) {
            throw Refusal(text: .settingProblem(.refused(field: "URL", reason: forbidden)))
        }
        if entity.id == 0 { return try await storage.addConnectorEntity(name: entity.name, url: entity.url) }
        return try await storage.updateConnectorEntity(id: entity.id, name: entity.name, url: entity.url)
    }

    /// Why the connector cannot be deleted; nil when it can (an unknown id is gone already).
    public func reasonNotToDelete(connector id: Int64) async throws -> ErpText? {
        if ConnectorKind.builtIn(id: id) != nil { return .connectorFixed(id) }
        guard try await storage.connectorEntity(id: id) != nil else { return .unknownConnector(id) }
        let live = try await storage.syncConnections(includeDeleted: false).contains { $0.kind == .http && $0.connectorId == id }
        return live ? .connectorInUse(id) : nil
    }

    /// Deletes the connector; throws `Refusal` when it may not be (an unknown id is not refused).
    public func deleteConnector(id: Int64) async throws {
        if let reason = try await reasonNotToDelete(connector: id) {
            if case .unknownConnector = reason { return }
            throw Refusal(text: reason)
        }
        _ = try await storage.removeConnectorEntity(id: id)
    }

    /// Why `url` does not answer within the connect time-out; nil when it does. The reason is
    /// logged here: callers of the agent learn only that it was not reached.
    public func reason(reaching url: String) async -> String? {
        guard let http = httpConnector else { return "this server has no HTTP connector" }
        let reason = await http.reason(reaching: url)
        if let reason { logger.info("connector URL not reached", metadata: ["reason": "\(reason)"]) }
        return reason
    }

    private var httpConnector: HTTPConnector? { connectors[.http] as? HTTPConnector }
}
