import BackroomCore
import BackroomStorage
import BackroomSync

/// The registry as operators see it, for the admin API and the console alike: each server's
/// status (this server's own as it is now), and on central what waits to sync each way and how
/// far behind each store is. Counting what waits reads every movement a store has yet to pull,
/// so pages that show all stores at once take the figures `BacklogSampler` last counted.
struct RegistryReader: Sendable {
    let storage: any ReplicationStore & SyncStateStore & ServerRegistryStore
    let role: ServerRole
    let identity: PeerIdentity
    let clock: BackroomClock
    let backlogs: BacklogCache

    /// Every server, with what waits counted now.
    func rows() async throws -> [RegisteredServer] {
        let servers = try await storage.servers()
        let keys = servers.map(\.registration.key)
        let states = try await storage.syncStates(keys.flatMap { [.peerPulled($0), .peerWaiting($0)] })
        let horizons = try await horizons()
        var rows: [RegisteredServer] = []
        for server in servers {
            rows.append(
                RegisteredServer(server: server, status: status(server), waiting: try await waiting(server, states: states, horizons: horizons))
            )
        }
        return rows
    }

    /// Every server, with what waits as counted before (none for a store not counted yet).
    func rows(counted: [ServerKey: RegisteredServer.Waiting]) async throws -> [RegisteredServer] {
        try await storage.servers().map { server in
            RegisteredServer(server: server, status: status(server), waiting: counted[server.registration.key])
        }
    }

    func row(_ server: StoredServer) async throws -> RegisteredServer {
        let key = server.registration.key
        let states = try await storage.syncStates([.peerPulled(key), .peerWaiting(key)])
        return RegisteredServer(
            server: server,
            status: status(server),
            waiting: try await waiting(server, states: states, horizons: try await horizons())
        )
    }

    private func status(_ server: StoredServer) -> ServerStatus {
        server.registration.key == identity.key ? identity.status : server.status
    }

    /// What retention deleted of each origin, on central (where stores pull from).
    private func horizons() async throws -> [ServerKey: Int64] {
        role == .central ? try await storage.movementHorizons().filter { $0.value > 0 } : [:]
    }

    /// `states`: the stores' pull cursors and what they said waits, read beforehand.
    private func waiting(
        _ server: StoredServer,
        states: [SyncStateKey: String],
        horizons: [ServerKey: Int64]
    ) async throws -> RegisteredServer.Waiting? {
        guard role == .central, server.registration.type == .store else { return nil }
        let key = server.registration.key
        let (cursor, backlog) = try await backlogs.backlog(of: key, shops: server.registration.shops, after: states[.peerPulled(key)] ?? "") {
            [storage] cursor in
            try await storage.backlog(forShops: server.registration.shops, except: key, after: cursor)
        }
        return RegisteredServer.Waiting(
            toStore: backlog.count,
            fromStore: Int64(states[.peerWaiting(key)] ?? ""),
            lagSeconds: backlog.lagSeconds(at: clock.nowMillis()),
            reloads: !horizons.isEmpty && states[.peerPulled(key)] != nil && MovementRetention.isBehind(cursor, horizons: horizons, except: key)
        )
    }
}
