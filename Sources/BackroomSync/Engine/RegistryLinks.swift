import BackroomCore
import BackroomStorage
import Foundation

/// The engine's connections to the other servers of the registry: central visits every
/// registered store, a store its central. Each becomes a connection when it is registered, so
/// that it keeps one id, and is deleted once its server has left the registry. Run where the
/// registry changes (the registry API, a store's first load from central), when the server opens
/// and before each round (for what the command line registers while the server runs): reading
/// the connections never writes them.
struct RegistryLinks: Sendable {
    let storage: any EngineStore & ServerRegistryStore
    let role: ServerRole
    let own: ServerKey

    func update() async throws {
        let (type, kind): (ServerType, ConnectorKind) = role == .central ? (.store, .storeLink) : (.main, .centralLink)
        let linked = try await storage.syncConnections(includeDeleted: true).filter { $0.kind == kind }
        let known = Set(linked.map(\.name) + linked.compactMap(\.linkedServer))
        let registered = try await storage.servers().filter { $0.registration.type == type && $0.registration.key != own }
        for server in registered {
            let key = server.registration.key.value
            guard !known.contains(key) else { continue }
            let settings = ConnectionSettings.Link(serverKey: key, url: server.registration.url)
            do {
                try await storage.addSyncConnection(
                    NewSyncConnection(
                        kind: kind,
                        connectorId: kind.builtInId ?? 0,
                        name: key,
                        uuid: UUID().uuidString.lowercased(),
                        config: settings.fields
                    )
                )
            } catch StorageError.alreadyExists {
                // Another process added it first.
            }
        }
        let keys = Set(registered.map(\.registration.key.value))
        for connection in linked where !connection.deleted && !keys.contains(connection.linkedServer ?? connection.name) {
            _ = try await storage.removeSyncConnection(id: connection.id)
        }
    }
}
