import BackroomCore
import BackroomStorage
import NIOConcurrencyHelpers

/// On central, a store link: the store pushes and pulls by itself, so a visit checks that it
/// answers and counts what arrived from it since the last visit.
public struct StoreLinkConnector: SyncConnector {
    public typealias Ping = @Sendable (ServerKey, String?) async -> (status: ServerStatus, error: String?)

    private let storage: any ReplicationStore & SyncStateStore & ServerRegistryStore
    private let ping: Ping
    private let clock: BackroomClock

    public init(storage: any ReplicationStore & SyncStateStore & ServerRegistryStore, clock: BackroomClock, ping: @escaping Ping) {
        self.clock = clock
        self.storage = storage
        self.ping = ping
    }

    public func visit(_ connection: SyncConnection) async throws -> VisitOutcome {
        let (key, url) = try Self.store(of: connection)
        let answer = await ping(key, url)
        guard answer.status.linkWorks else {
            throw LinkDown(description: answer.error ?? "\(key) is \(answer.status.rawValue)")
        }
        let held = try await storage.highestSequence(of: key)
        let seen = Int64(try await storage.syncState(.engineSeen(key)) ?? "") ?? 0
        try await storage.setSyncState(.engineSeen(key), String(held))
        return VisitOutcome(changes: Int(max(0, held - seen)))
    }

    public func test(_ connection: SyncConnection) async -> Bool {
        guard let (key, url) = try? Self.store(of: connection) else { return false }
        return await ping(key, url).status.linkWorks
    }

    public func problem(with connection: SyncConnection) async -> ConnectorSettingProblem? {
        guard let (key, _) = try? Self.store(of: connection), let server = try? await storage.server(key: key), server.registration.type == .store
        else {
            return .refused(field: "serverKey", reason: "\(connection.linkedServer ?? "") is not a registered store server")
        }
        return nil
    }

    /// The store hears of it at its next pull, and starts over: loads central's stock as it
    /// stands again, its own unsent sales on top, and pulls on from there.
    /// A store holds back what it has not pulled, unless it has never pulled (it loads what is
    /// held when it comes) or is gone (`RetentionPolicy.storeIsGone`: it loads afresh when it returns).
    public func consumer(of connection: SyncConnection, under policy: RetentionPolicy, at now: Int64) async throws -> MovementRetention.Consumer? {
        let (key, _) = try Self.store(of: connection)
        guard let pulled = try await storage.writtenSyncState(.peerPulled(key)), !policy.storeIsGone(cursorMovedAt: pulled.writtenAt, at: now)
        else { return nil }
        return MovementRetention.Consumer(position: SyncCursor(encoded: pulled.value) ?? SyncCursor(), scope: .allBut(key))
    }

    public func resync(_ connection: SyncConnection, ids: [Int64]) async throws -> ErpText {
        let (key, _) = try Self.store(of: connection)
        try await storage.setSyncState(.peerResync(key), String(clock.nowMillis()))
        return .resyncStore(key.value)
    }

    /// The store the connection links to, and where it was registered to answer.
    private static func store(of connection: SyncConnection) throws -> (key: ServerKey, url: String?) {
        guard case .storeLink(let link) = try connection.settings else { throw ConfigurationError("connection \(connection.name) is no store link") }
        return (try ServerKey(connection.linkedServer ?? connection.name), link.url)
    }
}

/// On a store, its link to central, which runs by itself every second: a visit reports how
/// it fares and what it moved since the last visit.
public final class CentralLinkConnector: SyncConnector {
    private let link: StoreLink
    private let reported = NIOLockedValueBox(0)

    public init(link: StoreLink) {
        self.link = link
    }

    public func visit(_ connection: SyncConnection) async throws -> VisitOutcome {
        if let error = link.lastError { throw LinkDown(description: error) }
        let moved = link.moved
        let before = reported.withLockedValue { reported in
            defer { reported = moved }
            return reported
        }
        return VisitOutcome(changes: max(0, moved - before))
    }

    public func test(_ connection: SyncConnection) async -> Bool {
        link.status.linkWorks
    }

    public func problem(with connection: SyncConnection) async -> ConnectorSettingProblem? { nil }

    public func resync(_ connection: SyncConnection, ids: [Int64]) async throws -> ErpText {
        try await link.startOver()
        return .resyncFromCentral
    }

    /// Central reads the store's own movements, as far as it holds them.
    public func consumer(of connection: SyncConnection, under policy: RetentionPolicy, at now: Int64) async throws -> MovementRetention.Consumer? {
        try await link.ownMovementsCentralHolds()
    }
}

struct LinkDown: Error, CustomStringConvertible {
    let description: String
}
