import BackroomCore
import BackroomStorage
import Logging
import ServiceLifecycle

/// Central's pings: every `OBMOBC_Ping_Periodicity` seconds it pings each store that has a URL
/// with the original's ping service (`MobileServerStatusInformation`), a few at a time, and stores the answer (or `OFF` with the reason) and when
/// it pinged. Of several central processes on one database, only the engine's leaseholder pings.
public struct ServerPinger: Service {
    /// How many stores are asked at once.
    static let fanOut = 8

    private let storage: any PreferenceStore & ServerRegistryStore
    private let clock: BackroomClock
    private let readiness: StorageReadiness
    /// Shared with the status service of central's application, so that a ping, an engine
    /// visit and status requests for one stale key make one call between them.
    public let prober: ServerStatusProber
    private let logger: Logger
    /// nil: this process pings whatever others do.
    private let leadership: EngineLeadership?

    public init(
        storage: any PreferenceStore & ServerRegistryStore,
        readiness: StorageReadiness,
        own: ServerKey,
        leadership: EngineLeadership? = nil,
        tls: OutboundTLS = .system,
        clock: BackroomClock,
        logger: Logger
    ) {
        self.clock = clock
        self.storage = storage
        self.leadership = leadership
        self.readiness = readiness
        prober = ServerStatusProber(storage: storage, identity: PeerIdentity(key: own, currentStatus: { .online }), tls: tls, clock: clock)
        self.logger = logger
    }

    public func run() async throws {
        guard await readiness.wait() else { return }
        var lastRound: BackroomClock.Instant?
        while !Task.isShuttingDownGracefully {
            // The period is read every second, so that a new one is in force at once rather than
            // after the longest sleep the old one asked for.
            let seconds = (try? await storage.storedPreference(.pingPeriodicity)).flatMap { $0 }
            let period = Duration.seconds(Preference.pingPeriodicity.effectiveValue(stored: seconds))
            if lastRound.map({ $0.duration(to: clock.now) >= period }) ?? true {
                lastRound = clock.now
                do {
                    if leadership?.isHeld ?? true { try await pingAll() }
                } catch {
                    logger.warning("pinging stores failed", metadata: ["error": "\(error)"])
                }
            }
            do {
                try await cancelWhenGracefulShutdown { try await clock.sleep(for: .seconds(1)) }
            } catch {
                return
            }
        }
    }

    /// Pings one server now and stores the answer, for the sync engine's visits too.
    public func ping(_ key: ServerKey, at url: String?) async -> (status: ServerStatus, error: String?) {
        let outcome = await prober.probe(key, at: url, by: .ping)
        try? await storage.recordPing(key, at: clock.nowMillis())
        return (outcome.status, outcome.error)
    }

    /// One round: every store with a URL, at most `fanOut` at a time.
    func pingAll() async throws {
        let stores = try await storage.servers().filter { $0.registration.type == .store && $0.registration.url != nil }
        await withTaskGroup(of: Void.self) { group in
            for (index, store) in stores.enumerated() {
                if index >= Self.fanOut { await group.next() }
                group.addTask { _ = await ping(store.registration.key, at: store.registration.url) }
            }
        }
    }
}
