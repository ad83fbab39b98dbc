import BackroomCore
import BackroomStorage
import BackroomSync

/// The registry as operators see it, for the admin API and the console alike: each server's
/// status (this server's own as it is now), and on central what waits to sync each way and how
/// far behind each store is.
struct RegistryReader: Sendable {
    let storage: any ReplicationStore & SyncStateStore & ServerRegistryStore
    let role: ServerRole
    let identity: PeerIdentity
    let clock: BackroomClock

    func rows() async throws -> [RegisteredServer] {
        var rows: [RegisteredServer] = []
        for server in try await storage.servers() { rows.append(try await row(server)) }
        return rows
    }

    func row(_ server: StoredServer) async throws -> RegisteredServer {
        let own = server.registration.key == identity.key
        return RegisteredServer(server: server, status: own ? identity.status : server.status, waiting: try await waiting(server))
    }

    private func waiting(_ server: StoredServer) async throws -> RegisteredServer.Waiting? {
        guard role == .central, server.registration.type == .store else { return nil }
        let key = server.registration.key
        let cursor = SyncCursor(encoded: try await storage.syncState(.peerPulled(key)) ?? "") ?? SyncCursor()
        let backlog = try await storage.backlog(forShops: server.registration.shops, except: key, after: cursor)
        return RegisteredServer.Waiting(
            toStore: backlog.count, fromStore: Int64(try await storage.syncState(.peerWaiting(key)) ?? ""),
            lagSeconds: backlog.lagSeconds(at: clock.nowMillis())
        )
    }
}
