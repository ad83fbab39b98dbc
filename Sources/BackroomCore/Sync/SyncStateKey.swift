/// What the sync engine, the store link, the ERP export and central's sync endpoints keep between
/// runs in `sync_state`, one key each: every name the table holds is written here once.
public enum SyncStateKey: Sendable, Hashable {
    /// The engine: whether automatic rounds run, their interval, its progress, a round asked for.
    case engineRunning, engineInterval, engineProgress, engineRequested
    /// On central: the highest sequence of a store's movements the engine has counted.
    case engineSeen(ServerKey)
    /// On a store: what central holds of its movements, its pull cursor, its first contact.
    case linkPushed, linkCursor, linkBootstrapped
    /// On central, per store: the cursor of its last pull, and what it said waits to be pushed.
    case peerPulled(ServerKey)
    case peerWaiting(ServerKey)
    /// An ERP files connection's export position.
    case erpExport(connection: Int64)
    /// An HTTP connection's delivery position.
    case httpDelivery(connection: Int64)
    /// On central: the latest `ForceResync` of a store's link, which its next pull hears of.
    case peerResync(ServerKey)
    /// On a store: the latest resync of central's it has started over for.
    case linkResynced
    /// On a store: the sync token central gave it in place of the one it was started with, sealed.
    case linkToken
    /// On a store: the state of central's last answer to a pull (`LongPoll`), its next `seen`.
    case linkState
    /// The marks of this database's restores from copies (`RestoreMark`), oldest first.
    case restores
    /// On a store: the last of central's restore marks it has applied.
    case linkRestored

    /// The row's name.
    public var name: String {
        switch self {
        case .engineRunning: "engine.running"
        case .engineInterval: "engine.interval"
        case .engineProgress: "engine.progress"
        case .engineRequested: "engine.requested"
        case .engineSeen(let store): "engine.seen.\(store.value)"
        case .linkPushed: "link.pushed"
        case .linkCursor: "link.cursor"
        case .linkBootstrapped: "link.bootstrapped"
        case .peerPulled(let store): "peer.\(store.value).pulled"
        case .peerWaiting(let store): "peer.\(store.value).waiting"
        case .erpExport(let connection): "erp.export.\(connection)"
        case .httpDelivery(let connection): "http.delivery.\(connection)"
        case .peerResync(let store): Self.peerResyncName(store.value)
        case .linkResynced: "link.resynced"
        case .linkToken: "link.token"
        case .linkState: "link.state"
        case .restores: "restores"
        case .linkRestored: "link.restored"
        }
    }

    /// What central keeps of a store, which goes when the store is removed.
    public static func kept(ofStore store: ServerKey) -> [SyncStateKey] {
        [.peerPulled(store), .peerWaiting(store), .peerResync(store), .engineSeen(store)]
    }

    /// What a connection keeps, which goes when the connection is removed.
    public static func kept(ofConnection id: Int64) -> [SyncStateKey] {
        [.erpExport(connection: id), .httpDelivery(connection: id)]
    }

    /// Every store's `peerResync` name as an SQL `LIKE` pattern, for the triggers that wake the
    /// stores when one is written.
    public static let peerResyncPattern = peerResyncName("%")

    private static func peerResyncName(_ store: String) -> String { "peer.\(store).resync" }
}
