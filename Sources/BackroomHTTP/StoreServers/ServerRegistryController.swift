import BackroomCore
import BackroomSync
import BackroomStorage
import Hummingbird

/// `GET /api/v1/servers`: the registry as this server knows it, for operators (right `admin`).
/// On central, each store also shows what waits to sync each way: `toStore` counted from the
/// cursor of the store's last pull, `fromStore` as the store last said.
struct ServerRegistryController {
    let storage: any ReplicationStore & SyncStateStore & ServerRegistryStore
    let role: ServerRole
    /// This server's own row shows its current status, which it never stores.
    let identity: PeerIdentity

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("servers", use: list)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Envelope<[RegisteredServer]> {
        _ = try context.requireAny(of: [.admin])
        var listed: [RegisteredServer] = []
        for server in try await storage.servers() {
            let own = server.registration.key == identity.key
            listed.append(RegisteredServer(server: server, status: own ? identity.status : server.status, waiting: try await waiting(server)))
        }
        return .success(listed)
    }

    private func waiting(_ server: StoredServer) async throws -> RegisteredServer.Waiting? {
        guard role == .central, server.registration.type == .store else { return nil }
        let key = server.registration.key
        let cursor = SyncCursor(encoded: try await storage.syncState(.peerPulled(key)) ?? "") ?? SyncCursor()
        return RegisteredServer.Waiting(
            toStore: try await storage.countMovements(forShops: server.registration.shops, except: key, after: cursor),
            fromStore: Int64(try await storage.syncState(.peerWaiting(key)) ?? "")
        )
    }
}

/// One server of the registry on the wire; instants as ISO 8601 in UTC, absent ones `null`.
struct RegisteredServer: JSONRepresentable, Sendable {
    struct Waiting: Sendable {
        let toStore: Int
        /// Unknown until the store has called.
        let fromStore: Int64?
    }

    let server: StoredServer
    let status: ServerStatus
    let waiting: Waiting?

    var json: JSONValue {
        let registration = server.registration
        return .object([
            "key": .string(registration.key.value),
            "name": .string(registration.name),
            "type": .string(registration.type.rawValue),
            "url": registration.url.map(JSONValue.string) ?? .null,
            "shops": .array(registration.shops.map { .integer(Int64($0)) }),
            "status": .string(status.rawValue),
            "updated": Self.instant(server.updatedAt),
            "lastPing": Self.instant(server.lastPing),
            "offlineLog": server.offlineLog.map(JSONValue.string) ?? .null,
            "waiting": waiting.map { .object(["toStore": .integer(Int64($0.toStore)), "fromStore": $0.fromStore.map(JSONValue.integer) ?? .null]) }
                ?? .null,
        ])
    }

    private static func instant(_ millis: Int64?) -> JSONValue {
        guard let millis else { return .null }
        return .string(LocalTimestamp.iso8601(millis: millis, offsetSeconds: 0))
    }
}
