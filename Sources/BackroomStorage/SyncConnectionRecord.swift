import BackroomCore

/// A `sync_connections` row as both databases read and write it.
enum SyncConnectionRecord {
    static let columns = "id, connector, connector_id, name, uuid, active, deleted, config, priority, last_success_at, last_error"

    /// Throws for a row of a connector this version does not know.
    static func connection(
        id: Int64,
        connector: String,
        connectorId: Int64,
        name: String,
        uuid: String,
        active: Int64,
        deleted: Int64,
        config: String,
        priority: Int64?,
        lastSuccessAt: Int64?,
        lastError: String?
    ) throws -> SyncConnection {
        let kind = try readable(ConnectorKind(name: connector), in: "sync_connections")
        var settings: [String: String] = [:]
        if case .object(let members)? = try? JSONReader.read(Array(config.utf8)) {
            for (key, value) in members { if case .string(let text) = value { settings[key] = text } }
        }
        return SyncConnection(
            id: id,
            kind: kind,
            connectorId: connectorId,
            name: name,
            uuid: uuid,
            active: active != 0,
            deleted: deleted != 0,
            config: settings,
            priority: priority.map { Int($0) },
            lastSuccessAt: lastSuccessAt,
            lastError: lastError
        )
    }

    static func config(_ settings: [String: String]) -> String {
        JSONWriter.string(of: .object(settings.mapValues(JSONValue.string)))
    }

    /// What the error column keeps of a failure, so a long one cannot grow the row unbounded.
    static func errorText(_ error: String?) -> String? {
        error.map { String($0.prefix(StoredServer.offlineLogLimit)) }
    }
}

/// A `sync_connectors` row: an HTTP connector entity.
enum ConnectorEntityRecord {
    static let columns = "id, name, url, deleted"
    /// The next entity's id: after the highest, never below `ConnectorKind.firstEntityId`.
    static let nextId = "(SELECT COALESCE(MAX(id) + 1, \(ConnectorKind.firstEntityId)) FROM sync_connectors)"
}
