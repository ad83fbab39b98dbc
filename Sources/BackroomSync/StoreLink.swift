import AsyncHTTPClient
import BackroomCore
import BackroomSecurity
import BackroomStorage
import Logging
import Metrics
import NIOConcurrencyHelpers
import NIOCore
import ServiceLifecycle

/// A store's link to central: on first contact it loads what central gives a store, then, every
/// second while the link works, pushes the store's own movements and pulls what central has for
/// its shops, until nothing waits either way. It drives the store's own status (`StoreLinkState`)
/// and never stops the tills: sales are recorded locally whatever happens here.
public final class StoreLink: Service {
    public static let batchLimit = 1000

    private let storage: any IdentityStore & PreferenceStore & StockStore & ReplicationStore & SyncStateStore & ServerRegistryStore
    private let own: ServerKey
    public let centralURL: String
    /// The token the store was started with, and the one central has given it since, if any.
    private let configuredToken: String
    private let rotatedToken = NIOLockedValueBox<String?>(nil)
    private let secrets: SecretBox
    private let logger: Logger
    private let state = NIOLockedValueBox(StoreLinkState())
    private let unsent = NIOLockedValueBox<Int64>(0)
    /// What the engine reports of the link: the last failure (nil once an exchange works), how
    /// many movements have moved either way since the process started, and when an exchange
    /// last worked.
    private let outcome = NIOLockedValueBox<(lastError: String?, moved: Int, lastExchangeAt: Int64?)>((nil, 0, nil))
    private let readiness: StorageReadiness
    private let clock: BackroomClock
    /// What central's certificate is checked against.
    public let tls: OutboundTLS

    public init(
        storage: any IdentityStore & PreferenceStore & StockStore & ReplicationStore & SyncStateStore & ServerRegistryStore, readiness: StorageReadiness, own: ServerKey, centralURL: String, token: String,
        tls: OutboundTLS = .system, secrets: SecretBox, clock: BackroomClock, logger: Logger
    ) {
        self.tls = tls
        self.secrets = secrets
        self.clock = clock
        self.storage = storage
        self.readiness = readiness
        self.own = own
        self.centralURL = centralURL.hasSuffix("/") ? String(centralURL.dropLast()) : centralURL
        configuredToken = token
        self.logger = logger
    }

    /// The store's own status, as the status service answers it.
    public var status: ServerStatus { state.withLockedValue { $0.status } }

    public var lastError: String? { outcome.withLockedValue { $0.lastError } }
    public var moved: Int { outcome.withLockedValue { $0.moved } }
    /// When an exchange with central last worked, in this process's life.
    public var lastExchangeAt: Int64? { outcome.withLockedValue { $0.lastExchangeAt } }

    /// What operators watch of the link, in `GET /metrics`.
    private struct Instruments {
        let status = Gauge(label: "backroom_link_status")
        let unsent = Gauge(label: "backroom_link_unsent_movements")
        let pushed = Counter(label: "backroom_link_pushed_movements_total")
        let pulled = Counter(label: "backroom_link_pulled_movements_total")
        let failures = Counter(label: "backroom_link_failures_total")
    }

    public func run() async throws {
        guard await readiness.wait() else { return }
        if let sealed = try? await storage.syncState(.linkToken), !sealed.isEmpty {
            rotatedToken.withLockedValue { $0 = try? secrets.open(sealed) }
        }
        // Made only now: the metrics system is set up with the HTTP server, after this service.
        let instruments = Instruments()
        var client: (http: HTTPClient, connectSeconds: Int)?
        /// Central's figures as last written to the store's database (none yet after a start).
        var appliedFigures: CentralFigures?
        var failures = 0
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            do {
                // The connect time-out is the client's: a changed preference takes a new client.
                let connectSeconds = try await preference(.connectionTimeout)
                let http: HTTPClient
                if let current = client, current.connectSeconds == connectSeconds {
                    http = current.http
                } else {
                    try await client?.http.shutdown()
                    http = Self.httpClient(connectSeconds: connectSeconds, tls: tls)
                    client = (http, connectSeconds)
                }
                try await exchange(central(http), instruments, appliedFigures: &appliedFigures)
                let now = clock.nowMillis()
                outcome.withLockedValue {
                    $0.lastError = nil
                    $0.lastExchangeAt = now
                }
                failures = 0
            } catch let failure as CentralClient.Failure where failure.status == 401 && rotatedToken.withLockedValue({ $0 }) != nil {
                // Central no longer takes the token it gave (an operator forced another, and
                // started this store with it): back to the one the store was started with.
                rotatedToken.withLockedValue { $0 = nil }
                try? await storage.setSyncState(.linkToken, "")
                logger.notice("central refused the token it gave this store; using the one it was started with")
                continue
            } catch {
                failures += 1
                instruments.failures.increment()
                change { $0.linkFailed(at: clock.nowMillis()) }
                let reason = OutboundTLS.explain(error, option: "--central-ca") ?? "\(error)"
                outcome.withLockedValue { $0.lastError = "\(centralURL): \(reason)" }
                logger.warning("link to central failed", metadata: ["central": "\(centralURL)", "error": "\(reason)"])
            }
            let wait = await preferenceOrDefault(.transitionToOfflineWait)
            change { $0.timePassed(to: clock.nowMillis(), waitMillis: wait) }
            // 0 OFF, 1 TOFF, 2 TON, 3 ON: the higher, the more current the store's picture.
            instruments.status.record([.offline, .transitionToOffline, .transitionToOnline, .online].firstIndex(of: status) ?? 0)
            instruments.unsent.record(unsent.withLockedValue { $0 })
            let pause = await self.pause(afterFailures: failures)
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: pause) }
            } catch {
                break
            }
        }
        try await client?.http.shutdown()
    }

    private static func httpClient(connectSeconds: Int, tls: OutboundTLS) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.tlsConfiguration = tls.configuration
        configuration.timeout.connect = .seconds(Int64(connectSeconds))
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    private func central(_ http: HTTPClient) -> CentralClient {
        CentralClient(
            client: http, baseURL: centralURL, token: rotatedToken.withLockedValue { $0 } ?? configuredToken, own: own,
            status: { [state] in state.withLockedValue { $0.status } }, waiting: { [unsent] in unsent.withLockedValue { $0 } }
        )
    }

    /// One exchange: bootstrap once, then push and pull until both sides are drained.
    private func exchange(_ central: CentralClient, _ instruments: Instruments, appliedFigures: inout CentralFigures?) async throws {
        let timeout = TimeAmount.seconds(Int64(try await preference(.connectionTimeout) + preference(.readTimeout) * 60))
        if (try await storage.syncState(.linkBootstrapped) ?? "").isEmpty {
            try await load(try await central.bootstrap(timeout: timeout))
            try await storage.setSyncState(.linkBootstrapped, String(clock.nowMillis()))
        }
        var pushed = Int64(try await storage.syncState(.linkPushed) ?? "") ?? 0
        let recorded = try await storage.highestSequence(of: own)
        unsent.withLockedValue { $0 = max(0, recorded - pushed) }
        while true {
            let batch = try await storage.ownMovements(origin: own, after: pushed, limit: Self.batchLimit)
            guard !batch.isEmpty else { break }
            pushed = try await central.push(batch, timeout: timeout)
            try await storage.setSyncState(.linkPushed, String(pushed))
            instruments.pushed.increment(by: batch.count)
            outcome.withLockedValue { $0.moved += batch.count }
            unsent.withLockedValue { $0 = max(0, recorded - pushed) }
            change { $0.linkWorked(nothingWaiting: false) }
        }
        var cursor = SyncCursor(encoded: try await storage.syncState(.linkCursor) ?? "") ?? SyncCursor()
        while true {
            let pulled = try await central.pull(after: cursor, limit: Self.batchLimit, timeout: timeout)
            if let next = pulled.nextToken, next != central.token {
                // Kept before it is used: central retires the old token at the first request with it.
                try await storage.setSyncState(.linkToken, try secrets.seal(next))
                rotatedToken.withLockedValue { $0 = next }
                logger.notice("central gave this store a new sync token")
                return
            }
            if let resync = pulled.resync, resync != (try await storage.syncState(.linkResynced)) {
                try await startOver()
                try await storage.setSyncState(.linkResynced, resync)
                appliedFigures = nil
                logger.notice("central asked for a resync: loading and pulling everything again")
                return
            }
            // An idle store writes nothing: figures as last applied are not written again.
            let figures = pulled.figures == appliedFigures ? nil : pulled.figures
            if !pulled.movements.isEmpty || pulled.cursor != cursor || figures != nil {
                // The movements and the cursor past them in one transaction: exactly once.
                try await storage.applyReplicated(pulled.movements, recording: (.linkCursor, pulled.cursor.encoded), figures: figures)
                if let figures {
                    try await keep(figures.users)
                    try await keep(figures.preferences)
                    appliedFigures = figures
                }
            }
            cursor = pulled.cursor
            instruments.pulled.increment(by: pulled.movements.count)
            outcome.withLockedValue { $0.moved += pulled.movements.count }
            change { $0.linkWorked(nothingWaiting: !pulled.more) }
            guard pulled.more else { break }
        }
    }

    /// Loads from central again and pulls every movement from the start at the next exchange;
    /// movements held already are skipped as ever, so nothing is applied twice.
    public func startOver() async throws {
        try await storage.setSyncState(.linkCursor, "")
        try await storage.setSyncState(.linkBootstrapped, "")
    }

    private func load(_ bootstrap: StoreBootstrap) async throws {
        let central = ServerRegistration(key: bootstrap.central, name: bootstrap.central.value, type: .main, url: centralURL, shops: [])
        for server in [central, bootstrap.store] where try await storage.server(key: server.key) == nil {
            try await storage.registerServer(server, tokenFingerprint: nil)
        }
        try await storage.addMissingShops(bootstrap.shops)
        try await storage.addMissingStock(bootstrap.stock, origin: own)
        try await keep(bootstrap.users)
        try await keep(bootstrap.preferences)
        logger.notice("loaded from central", metadata: ["shops": "\(bootstrap.shops.count)", "stock_lines": "\(bootstrap.stock.count)"])
    }

    /// Adds central's users the store lacks and updates those whose password, rights or shops
    /// changed; users central no longer has are left (a till must not lose its user mid-shift).
    private func keep(_ users: [StoreBootstrap.User]) async throws {
        for user in users {
            let wanted = NewUser(name: user.name, passwordHash: user.passwordHash, rights: Set(user.rights), shops: Set(user.shops))
            guard let known = try await storage.user(named: user.name) else {
                try await storage.createUser(wanted)
                continue
            }
            if known.passwordHash != wanted.passwordHash || known.principal.rights != wanted.rights || known.principal.shops != wanted.shops {
                try await storage.updateUser(wanted)
            }
        }
    }

    /// Central's preferences win over the store's own: they are the retailer's, set at head office.
    private func keep(_ preferences: [Preference: Int]) async throws {
        for (preference, value) in preferences where preference.effectiveValue(stored: try await storage.storedPreference(preference)) != value {
            try await storage.setPreference(preference, value: value)
        }
    }

    /// Every second while the link works; after failures, exponentially longer with jitter; while
    /// offline, the retry period (`backroom.linkRetrySeconds`). Never longer than the engine's
    /// interval, which caps the back-off (sync-engine.md, "Transport").
    private func pause(afterFailures failures: Int) async -> Duration {
        let retry = await preferenceOrDefault(.linkRetrySeconds)
        let interval = (try? await SyncEngine.interval(in: storage)) ?? .standard
        return Self.pause(offline: status == .offline, failures: failures, retrySeconds: retry, interval: interval, jitter: Double.random(in: 0.5...1))
    }

    /// The pause itself; `jitter` (0.5 to 1) scales a back-off so that stores do not retry in step.
    static func pause(offline: Bool, failures: Int, retrySeconds: Int, interval: SyncInterval, jitter: Double) -> Duration {
        let cap = Double(min(retrySeconds, interval.seconds))
        if offline { return .seconds(cap) }
        guard failures > 0 else { return .seconds(1) }
        return .milliseconds(Int64(min(cap, Double(1 << min(failures, 16))) * 1000 * jitter))
    }

    private func change(_ transition: (inout StoreLinkState) -> Void) {
        let (before, after) = state.withLockedValue { state in
            let before = state.status
            transition(&state)
            return (before, state.status)
        }
        if before != after {
            logger.notice("store status changed", metadata: ["from": "\(before.rawValue)", "to": "\(after.rawValue)"])
        }
    }

    private func preference(_ preference: Preference) async throws -> Int {
        preference.effectiveValue(stored: try await storage.storedPreference(preference))
    }

    /// Between exchanges a database that does not answer must not end the link, only slow it.
    private func preferenceOrDefault(_ preference: Preference) async -> Int {
        (try? await self.preference(preference)) ?? preference.defaultValue
    }
}
