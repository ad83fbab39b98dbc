import BackroomCore
import BackroomSync
import Hummingbird

/// The agent's methods that change connections and connectors, and start a resync.
extension ErpSyncController {
    func saveConnection(_ call: Call) async throws -> Response {
        let change = try call.read { parameters in
            let connection = try parameters.object("Connection")
            return SyncEngine.ConnectionChange(
                id: try connection.optionalInteger("ErpConnectionId") ?? 0,
                connectorId: try connection.optionalInteger("ErpConnectorId"),
                name: try connection.text("DisplayName"),
                active: try connection.boolean("Active"),
                config: try connection.strings("ConfigFields")
            )
        }
        try await requireAdminToChange(connection: change.id, connector: change.connectorId, call)
        return try call.respond(try await engine.save(change).map(call.answers.connection) ?? .absent(type: "ErpConnection"))
    }

    /// The entity is the body itself, as the original takes it; wrapped in
    /// `ErpSyncConnectorEntity` it is understood too.
    func saveConnectorEntity(_ call: Call) async throws -> Response {
        let entity = try call.read { parameters in
            let wrapped = try parameters.object("ErpSyncConnectorEntity")
            let fields = wrapped.value("URL") != nil || wrapped.value("ErpConnectorId") != nil ? wrapped : parameters
            return ConnectorEntity(
                id: try fields.optionalInteger("ErpConnectorId") ?? 0,
                name: try fields.text("DisplayName") ?? "",
                url: try fields.text("URL") ?? "",
                deleted: try fields.boolean("Deleted") ?? false
            )
        }
        return try call.respond(
            try await engine.saveConnectorEntity(entity).map(call.answers.connectorEntity) ?? .absent(type: "ErpSyncConnectorEntity")
        )
    }

    /// A resync of a deleted connection is not done, and the answer says why.
    func forceResync(_ call: Call) async throws -> Response {
        let id = try call.read { try $0.integer("ErpConnectionId") }
        let ids = try call.read { try $0.integers("InternalKeyIds") }
        switch try await engine.resync(connection: id, ids: ids) {
        case .unknown:
            return try call.respond(.absent(type: "PluginResponse"))
        case .deleted:
            return try call.respond(
                call.answers.pluginResponse(
                    status: .error,
                    explanation: .connectionDeleted(id),
                    technical: "connection \(id) is deleted",
                    errorCode: "ConnectionDeleted"
                )
            )
        case .started(let text):
            return try call.respond(call.answers.pluginResponse(status: .ok, explanation: text, technical: "resync of connection \(id) started"))
        }
    }

    /// `erpSyncConnectorEntityId` from the query, as the original takes it, or from the body.
    func entityId(_ call: Call) throws -> Int64 {
        if let text = call.query.queryParameters.get("erpSyncConnectorEntityId") ?? call.query.queryParameters.get("ErpSyncConnectorEntityId") {
            guard let id = Int64(text) else { throw ErpSyncError(.argument, .mustBeInteger(property: "erpSyncConnectorEntityId")) }
            return id
        }
        return try call.read { try $0.integer("ErpSyncConnectorEntityId") }
    }
}
