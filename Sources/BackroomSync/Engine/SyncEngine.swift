import BackroomCore
import BackroomSecurity
import BackroomStorage
import Foundation
import Logging
import Metrics
import NIOConcurrencyHelpers
import ServiceLifecycle

/// The sync engine: every `Interval` while it runs, and whenever asked, a round visits each
/// active connection with its connector. Its settings and progress live in the database, so
/// every process sharing it answers alike; a lease lets one process at a time run rounds, and
/// another takes over within `leaseDuration` when that one dies.
public final class SyncEngine: Service, Sendable {
    static let leaseName = "sync-engine"
    /// How long a lease lasts without renewal, and how often the holder renews it.
    static let leaseDuration: Int64 = 2000
    static let tick = Duration.milliseconds(400)

    let storage: any SyncStateStore & EngineStore & ServerRegistryStore & PreferenceStore
    let secrets: SecretBox
    private let readiness: StorageReadiness
    private let registryLinks: RegistryLinks
    let connectors: [ConnectorKind: any SyncConnector]
    let logger: Logger
    private let clock: BackroomClock
    /// This process's name in the lease table.
    private let holder = "\(ProcessInfo.processInfo.hostName):\(getpid()):\(UUID().uuidString)"
    private let leadership: EngineLeadership
    /// Set when rounds have stopped for good, so that the lease is kept until the last visit ends.
    private let roundsEnded = NIOLockedValueBox(false)
    /// Rings when a round is asked for, a setting changes or the lease is won.
    private let pokes = ChangeFeed(live: true)

    public init(
        storage: any SyncStateStore & EngineStore & ServerRegistryStore & PreferenceStore,
        readiness: StorageReadiness,
        role: ServerRole,
        own: ServerKey,
        connectors: [ConnectorKind: any SyncConnector],
        secrets: SecretBox,
        leadership: EngineLeadership = EngineLeadership(),
        clock: BackroomClock,
        logger: Logger
    ) {
        self.secrets = secrets
        self.clock = clock
        self.leadership = leadership
        self.storage = storage
        self.readiness = readiness
        registryLinks = RegistryLinks(storage: storage, role: role, own: own)
        self.connectors = connectors
        self.logger = logger
    }

    // MARK: settings, as the agent API reads and changes them

    public func isRunning() async throws -> Bool {
        try await storage.syncState(.engineRunning) != "false"
    }

    public func setRunning(_ running: Bool) async throws {
        try await storage.setSyncState(.engineRunning, running ? "true" : "false")
        logger.notice("sync engine \(running ? "started" : "stopped")")
        poke()
    }

    public func interval() async throws -> SyncInterval {
        try await Self.interval(in: storage)
    }

    /// The interval as stored: the engine's, and the cap of a store link's back-off.
    static func interval(in storage: any SyncStateStore) async throws -> SyncInterval {
        try await storage.syncState(.engineInterval).flatMap { Int($0) }.flatMap { SyncInterval(seconds: $0) } ?? .standard
    }

    public func setInterval(_ interval: SyncInterval) async throws {
        try await storage.setSyncState(.engineInterval, String(interval.seconds))
        poke()
    }

    public func progress() async throws -> EngineProgress {
        EngineProgress(encoded: try await storage.syncState(.engineProgress) ?? "")
    }

    /// Asks for a round now and waits up to `patience` for it to finish; nil when it has not
    /// finished by then (it still runs, on whichever process holds the lease).
    public func roundNow(patience: Duration = .seconds(60)) async throws -> EngineProgress.Round? {
        let requested = clock.nowMillis()
        try await storage.setSyncState(.engineRequested, String(requested))
        poke()
        let deadline = clock.now.advanced(by: patience)
        while clock.now < deadline {
            if let round = try await progress().lastRound, round.startedAt >= requested { return round }
            try await clock.sleep(for: .milliseconds(50))
        }
        return nil
    }

    // MARK: running rounds

    public func run() async throws {
        guard await readiness.wait() else { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.keepLease() }
            group.addTask {
                await self.runRounds()
                self.roundsEnded.withLockedValue { $0 = true }
            }
        }
        try? await storage.releaseLease(Self.leaseName, holder: holder)
    }

    /// Renews the lease while this process holds it and tries to take it while not, until the
    /// rounds have stopped: a visit finishing during shutdown still holds it.
    private func keepLease() async {
        while !roundsEnded.withLockedValue({ $0 }), !Task.isCancelled {
            let now = clock.nowMillis()
            let held = (try? await storage.holdLease(Self.leaseName, holder: holder, until: now + Self.leaseDuration, now: now)) ?? false
            let was = leadership.note(held)
            if held != was {
                logger.notice(held ? "sync engine: this process runs the rounds" : "sync engine: another process runs the rounds")
                if held { poke() }
            }
            try? await clock.sleep(for: Self.tick)
        }
    }

    private func runRounds() async {
        let poked = pokes.watch(shops: nil)
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            if leadership.isHeld {
                do {
                    if try await roundIsDue() { try await round() }
                } catch {
                    logger.warning("sync engine round failed", metadata: ["error": "\(error)"])
                }
            }
            // A second at most, less when poked.
            _ = await poked.wait(upTo: .seconds(1), on: clock)
        }
    }

    private func roundIsDue() async throws -> Bool {
        let last = try await progress().lastRound
        if let requested = Int64(try await storage.syncState(.engineRequested) ?? ""), requested > (last?.startedAt ?? 0) { return true }
        if last?.complete == false { return true }
        guard try await isRunning() else { return false }
        guard let last else { return true }
        if let retryAt = last.retryAt, clock.nowMillis() >= retryAt { return true }
        return clock.nowMillis() - last.finishedAt >= Int64(try await interval().seconds) * 1000
    }

    /// Visits every active connection once. A graceful shutdown lets the visit under way finish
    /// (each is all or nothing) and skips the rest, which the next round, here or elsewhere, does.
    private func round() async throws {
        let startedAt = clock.nowMillis()
        try await linkRegistry()
        let listed = try await connections(includeDeleted: false).filter { $0.active && connectors[$0.kind] != nil }
        let connections = SyncConnection.visitOrder(listed)
        let previous = try await progress().lastRound
        var changes = 0
        var failed: [String] = []
        var visited = 0
        var retryAt: Int64?
        for (index, connection) in connections.enumerated() {
            guard !Task.isShuttingDownGracefully, leadership.isHeld else { break }
            try await record(EngineProgress(visiting: .init(name: connection.name, index: index + 1, count: connections.count), lastRound: previous))
            let problem: String?
            do {
                let outcome = try await connectors[connection.kind]!.visit(try opened(connection))
                changes += outcome.changes
                problem = outcome.problem
                if let wanted = outcome.retryAt { retryAt = min(retryAt ?? wanted, wanted) }
            } catch {
                problem = "\(error)"
            }
            if let problem {
                failed.append(connection.name)
                logger.warning("sync engine: connection failed", metadata: ["connection": "\(connection.name)", "error": "\(problem)"])
            }
            try await storage.recordVisit(connection: connection.id, at: clock.nowMillis(), error: problem)
            visited += 1
        }
        // Cut short (a shutdown, the lease lost), it is taken up at once by whichever process runs
        // rounds next, here or elsewhere, rather than an interval later.
        let complete = !Task.isShuttingDownGracefully && visited == connections.count
        let round = EngineProgress.Round(
            startedAt: startedAt,
            finishedAt: clock.nowMillis(),
            connections: visited,
            changes: changes,
            failed: failed,
            complete: complete,
            order: connections.contains { $0.priority != nil } ? connections.map(\.name) : [],
            retryAt: retryAt
        )
        try await record(EngineProgress(visiting: nil, lastRound: round))
        Counter(label: "backroom_engine_rounds_total").increment()
        Counter(label: "backroom_engine_round_errors_total").increment(by: failed.count)
        logger.info("sync engine round done", metadata: ["connections": "\(visited)", "changes": "\(changes)", "errors": "\(failed.count)"])
    }

    private func record(_ progress: EngineProgress) async throws {
        try await storage.setSyncState(.engineProgress, progress.encoded)
    }

    /// Makes the connections follow the registry (`RegistryLinks`).
    public func linkRegistry() async throws {
        try await registryLinks.update()
    }

    func poke() {
        pokes.publish(.everything)
    }
}
