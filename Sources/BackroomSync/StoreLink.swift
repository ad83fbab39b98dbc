import AsyncHTTPClient
import BackroomCore
import BackroomSecurity
import BackroomStorage
import Logging
import Metrics
import NIOConcurrencyHelpers
import NIOCore
import ServiceLifecycle

/// A store's link to central: on first contact it loads what central gives a store; then two
/// loops run while the process does. One pushes the store's own movements as soon as they are
/// recorded, and nothing when there is nothing to send. The other pulls what central has for the
/// store's shops as a long poll: once caught up, each pull waits at central (up to
/// `LongPoll.longestWaitSeconds`) until something for the store is committed, so an idle link
/// costs central a request every 50 s. Both drive the store's own status (`StoreLinkState`),
/// which never stops the tills: sales are recorded locally whatever happens here. Given several
/// central URLs, the link moves to the next when one stops answering.
public final class StoreLink: Service {
    public static let batchLimit = 1000
    /// How long the push loop waits for a sale of its own before looking anyway (a movement
    /// recorded by another process on the store's database is not announced to this one).
    static let pushFallback = Duration.seconds(30)

    private let storage: any IdentityStore & PreferenceStore & StockStore & ReplicationStore & SyncStateStore & ServerRegistryStore & EngineStore
    /// Announces this process's own writes: a sale wakes the push loop.
    private let localChanges: ChangeFeed
    private let own: ServerKey
    public var centralURLs: [String] { machine.withLockedValue { $0.urls } }
    /// Every decision of the link; the loops perform what it returns.
    private let machine: NIOLockedValueBox<StoreLinkMachine>
    private let secrets: SecretBox
    private let logger: Logger
    /// Says `startOver()` was called, to a pull parked meanwhile.
    private let startOvers = ChangeFeed(live: true)
    private let readiness: StorageReadiness
    private let clock: BackroomClock
    /// What central's certificate is checked against.
    public let tls: OutboundTLS

    public init(
        storage: any IdentityStore & PreferenceStore & StockStore & ReplicationStore & SyncStateStore & ServerRegistryStore & EngineStore,
        localChanges: ChangeFeed,
        readiness: StorageReadiness,
        own: ServerKey,
        centralURLs: [String],
        token: String,
        tls: OutboundTLS = .system,
        secrets: SecretBox,
        clock: BackroomClock,
        logger: Logger
    ) {
        self.tls = tls
        self.secrets = secrets
        self.clock = clock
        self.storage = storage
        self.localChanges = localChanges
        self.readiness = readiness
        self.own = own
        machine = NIOLockedValueBox(StoreLinkMachine(urls: centralURLs.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }, token: token))
        self.logger = logger
    }

    /// The central URL the link uses now.
    public var centralURL: String { machine.withLockedValue { $0.centralURL } }

    /// The store's own status, as the status service answers it.
    public var status: ServerStatus { machine.withLockedValue { $0.status } }

    public var lastError: String? { machine.withLockedValue { $0.lastError } }
    public var moved: Int { machine.withLockedValue { $0.moved } }
    /// When an exchange with central last worked, in this process's life.
    public var lastExchangeAt: Int64? { machine.withLockedValue { $0.lastExchangeAt } }

    /// What operators watch of the link, in `GET /metrics`.
    private struct Instruments: Sendable {
        let status = Gauge(label: "backroom_link_status")
        let unsent = Gauge(label: "backroom_link_unsent_movements")
        let pushed = Counter(label: "backroom_link_pushed_movements_total")
        let pulled = Counter(label: "backroom_link_pulled_movements_total")
        let failures = Counter(label: "backroom_link_failures_total")
    }

    public func run() async throws {
        guard await readiness.wait() else { return }
        if let sealed = try? await storage.syncState(.linkToken), !sealed.isEmpty {
            let given = try? secrets.open(sealed)
            machine.withLockedValue { $0.use(givenToken: given) }
        }
        // Made only now: the metrics system is set up with the HTTP server, after this service.
        let instruments = Instruments()
        await withDiscardingTaskGroup { group in
            group.addTask { await self.keepExchanging(.pull, instruments) { central in try await self.pull(central, instruments) } }
            group.addTask { await self.keepExchanging(.push, instruments) { central in try await self.push(central, instruments) } }
        }
    }

    /// Runs `step` until shutdown: after a success, again once the time it returns has passed;
    /// after failures, with back-off. Each loop has an HTTP client of its own, made anew when
    /// the connect time-out preference changes.
    private func keepExchanging(
        _ loop: StoreLinkMachine.Loop,
        _ instruments: Instruments,
        step: @escaping @Sendable (CentralClient) async throws -> Duration
    ) async {
        var client: (http: HTTPClient, connectSeconds: Int)?
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            var pause = Duration.zero
            var used = token
            do {
                let connectSeconds = try await preference(.connectionTimeout)
                let http: HTTPClient
                if let current = client, current.connectSeconds == connectSeconds {
                    http = current.http
                } else {
                    try await client?.http.shutdown()
                    http = Self.httpClient(connectSeconds: connectSeconds, tls: tls)
                    client = (http, connectSeconds)
                }
                let central = central(http)
                used = central.token
                // A parked pull must not hold up shutdown; a push cut short is sent again (central
                // applies each movement once).
                pause = try await cancelWhenGracefulShutdown { try await step(central) }
                machine.withLockedValue { $0.succeeded(loop) }
            } catch {
                if Task.isCancelled || Task.isShuttingDownGracefully { break }
                let failure = error as? CentralClient.Failure
                let seen = StoreLinkMachine.Failure(
                    status: failure?.status.map { Int($0) },
                    centralIsOlder: failure?.centralIsOlder ?? false,
                    reason: OutboundTLS.explain(error, option: "--central-ca") ?? "\(error)",
                    tokenUsed: used
                )
                switch change({ $0.failed(loop, seen, at: clock.nowMillis()) }) {
                case .forgetGivenToken:
                    try? await storage.setSyncState(.linkToken, "")
                    logger.notice("central refused the token it gave this store; using the one it was started with")
                    continue
                case .retryWithNewToken:
                    continue
                case .retry(let failedURL, let movedTo, let backOffFailures):
                    instruments.failures.increment()
                    logger.warning("link to central failed", metadata: ["central": "\(failedURL)", "exchange": "\(loop)", "error": "\(seen.reason)"])
                    if let movedTo { logger.notice("trying the next central", metadata: ["central": "\(movedTo)"]) }
                    if let backOffFailures { pause = await self.pause(afterFailures: backOffFailures) }
                }
            }
            let wait = await preferenceOrDefault(.transitionToOfflineWait)
            let (status, unsent) = change { machine in
                machine.timePassed(to: clock.nowMillis(), waitMillis: wait)
                return (machine.status, machine.unsent)
            }
            // 0 OFF, 1 TOFF, 2 TON, 3 ON: the higher, the more current the store's picture.
            instruments.status.record([.offline, .transitionToOffline, .transitionToOnline, .online].firstIndex(of: status) ?? 0)
            instruments.unsent.record(unsent)
            guard pause > .zero else { continue }
            let resting = pause
            do {
                try await cancelWhenGracefulShutdown { try await self.clock.sleep(for: resting) }
            } catch {
                break
            }
        }
        try? await client?.http.shutdown()
    }

    private static func httpClient(connectSeconds: Int, tls: OutboundTLS) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.tlsConfiguration = tls.configuration
        configuration.timeout.connect = .seconds(Int64(connectSeconds))
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// The sync token the store uses now: the one central gave it last, else its configured one.
    public var token: String { machine.withLockedValue { $0.token } }

    private func central(_ http: HTTPClient) -> CentralClient {
        CentralClient(
            client: http,
            baseURL: centralURL,
            token: token,
            own: own,
            status: { [machine] in machine.withLockedValue { $0.status } },
            waiting: { [machine] in machine.withLockedValue { $0.unsent } }
        )
    }

    private func timeout(waiting seconds: Int = 0) async throws -> TimeAmount {
        .seconds(Int64(try await preference(.connectionTimeout) + preference(.readTimeout) * 60 + seconds))
    }

    private func linkWorked() {
        let now = clock.nowMillis()
        change { $0.worked(at: now) }
    }

    /// Sends the store's own movements central lacks, then waits for the next sale (or, at the
    /// longest, `pushFallback`); sends nothing when nothing waits.
    private func push(_ central: CentralClient, _ instruments: Instruments) async throws -> Duration {
        // Watching before looking: a sale recorded while this pushes wakes the next round.
        let watch = localChanges.watch(shops: nil)
        if machine.withLockedValue({ $0.maySend }) {
            if !machine.withLockedValue({ $0.recovered }) {
                try await recover(central)
                machine.withLockedValue { $0.recoveredOwnMovements() }
            }
            var pushed = Int64(try await storage.syncState(.linkPushed) ?? "") ?? 0
            let recorded = try await storage.highestSequence(of: own)
            machine.withLockedValue { $0.counted(recorded: recorded, pushed: pushed) }
            while true {
                let batch = try await storage.ownMovements(origin: own, after: pushed, limit: Self.batchLimit)
                guard !batch.isEmpty else { break }
                do {
                    pushed = try await central.push(batch, after: pushed, timeout: try await timeout())
                } catch let failure as CentralClient.Failure where failure.status == 409 {
                    try await recover(central)
                    pushed = Int64(try await storage.syncState(.linkPushed) ?? "") ?? 0
                    continue
                }
                try await storage.setSyncState(.linkPushed, String(pushed))
                instruments.pushed.increment(by: batch.count)
                machine.withLockedValue { [pushed] in
                    $0.pushed(batch.count)
                    $0.counted(recorded: recorded, pushed: pushed)
                }
                linkWorked()
            }
        }
        _ = await watch.wait(upTo: Self.pushFallback, on: clock)
        return .zero
    }

    /// Squares the store's own movements with what central holds of them, once per process
    /// before its first push: a database restored from an older copy takes back what central
    /// holds and moves sales recorded since past it; a central restored from an older copy is
    /// pushed to again from what it holds.
    private func recover(_ central: CentralClient) async throws {
        let pushed = Int64(try await storage.syncState(.linkPushed) ?? "") ?? 0
        var held: [ReplicatedMovement] = []
        var centralHolds = pushed
        var after = pushed
        repeat {
            let page = try await central.own(after: after, limit: Self.batchLimit, timeout: try await timeout())
            centralHolds = page.highWater
            held += page.movements
            guard let last = page.movements.last else { break }
            after = last.sequence
        } while after < centralHolds
        var local: [ReplicatedMovement] = []
        after = pushed
        while after < centralHolds {
            let page = try await storage.ownMovements(origin: own, after: after, limit: Self.batchLimit)
            local += page.filter { $0.sequence <= centralHolds }
            guard let last = page.last else { break }
            after = last.sequence
        }
        let plan = OriginRecovery.plan(pushed: pushed, centralHolds: centralHolds, central: held, local: local)
        guard plan.changesMovements || plan.pushed != pushed else { return }
        try await storage.recoverOwnMovements(of: own, following: plan)
        if plan.changesMovements {
            logger.warning(
                "this store's database lacked movements central holds (restored from an older copy?): took them back",
                metadata: [
                    "taken_back": "\(plan.missing.count)", "moved_from": "\(plan.renumberFrom.map(String.init) ?? "-")", "moved_by": "\(plan.shift)",
                ]
            )
        } else if plan.pushed < pushed {
            logger.warning(
                "central holds fewer of this store's movements than it was sent (restored from an older copy?): sending them again",
                metadata: [
                    "central_holds": "\(plan.pushed)", "sent": "\(pushed)",
                ]
            )
        }
    }

    /// One pull, a long poll once the store is caught up; bootstraps first when the store has
    /// never loaded from central (or a resync asked it to again).
    private func pull(_ central: CentralClient, _ instruments: Instruments) async throws -> Duration {
        if (try await storage.syncState(.linkBootstrapped) ?? "").isEmpty {
            machine.withLockedValue { $0.mustLoad() }
            try await load(try await central.bootstrap(timeout: try await timeout()))
            try await storage.setSyncState(.linkBootstrapped, String(clock.nowMillis()))
            machine.withLockedValue { $0.loaded(fresh: true) }
            // Sales recorded before the first contact wait for the push loop.
            localChanges.publish(.everything)
        }
        machine.withLockedValue { $0.loaded(fresh: false) }
        let started = clock.nowMillis()
        let cursor = SyncCursor(encoded: try await storage.syncState(.linkCursor) ?? "") ?? SyncCursor()
        let wait = machine.withLockedValue { $0.pullWaitSeconds }
        let seen = try await storage.syncState(.linkState)
        let timeout = try await timeout(waiting: wait)
        // A pull parked at central is abandoned when the store is told to start over here.
        let startedOver = startOvers.watch(shops: nil)
        let answer = try await withThrowingTaskGroup(of: CentralClient.Pulled?.self) { group in
            group.addTask { try await central.pull(after: cursor, limit: Self.batchLimit, wait: wait, seen: seen, timeout: timeout) }
            group.addTask {
                _ = await startedOver.wait(upTo: .seconds(24 * 3600), on: self.clock)
                return nil
            }
            defer { group.cancelAll() }
            return try await group.next() ?? nil
        }
        guard let pulled = answer else { return .zero }
        if machine.withLockedValue({ $0.heardCentral() }) {
            logger.notice("central speaks this store's sync protocol again: syncing")
            localChanges.publish(.everything)
        }
        let resynced = try await storage.syncState(.linkResynced)
        let pushed = Int64(try await storage.syncState(.linkPushed) ?? "") ?? 0
        let unapplied = RestoreMark.unapplied(pulled.restores, after: try await storage.syncState(.linkRestored))
        let decision = machine.withLockedValue {
            $0.decide(
                nextToken: pulled.nextToken,
                tokenUsed: central.token,
                resync: pulled.resync,
                resynced: resynced,
                held: pulled.held,
                pushed: pushed,
                unappliedRestores: unapplied
            )
        }
        switch decision {
        case .keepToken(let next):
            // Kept before it is used: central retires the old token at the first request with it.
            try await storage.setSyncState(.linkToken, try secrets.seal(next))
            machine.withLockedValue { $0.use(givenToken: next) }
            logger.notice("central gave this store a new sync token")
            return .zero
        case .startOver(let resync):
            try await startOver()
            try await storage.setSyncState(.linkResynced, resync)
            logger.notice("central asked for a resync: loading its stock as it stands and pulling on from there")
            return .zero
        case .forget(let marks, let pushAgain):
            if pushAgain { localChanges.publish(.everything) }
            // Before the page, which was read past what central no longer holds.
            for mark in marks {
                try await storage.forget(beyond: mark, except: own)
                logger.warning(
                    "central was restored from a copy: forgot its movements past the copy and pulling them again",
                    metadata: [
                        "restore": "\(mark.id)",
                        "heads": "\(mark.heads(forgottenBy: own).map { "\($0.key):\($0.value)" }.sorted().joined(separator: ","))",
                    ]
                )
            }
            return .zero
        case .apply(let pushAgain):
            if pushAgain { localChanges.publish(.everything) }
        }
        // An idle store writes nothing: an answer with nothing new is not written again.
        if pulled.cursor != cursor || LongPoll.isNews(movements: pulled.movements.count, more: pulled.more, state: pulled.state ?? "", seen: seen) {
            // The movements and the cursor past them in one transaction: exactly once.
            try await storage.applyReplicated(pulled.movements, recording: (.linkCursor, pulled.cursor.encoded), figures: pulled.figures)
            if let figures = pulled.figures {
                try await keep(figures.users)
                try await keep(figures.preferences)
            }
            // Apart: a state lost in a crash makes central answer the next pull at once, no more.
            if let state = pulled.state, state != seen { try await storage.setSyncState(.linkState, state) }
        }
        instruments.pulled.increment(by: pulled.movements.count)
        let rest = machine.withLockedValue {
            $0.pulled(movements: pulled.movements.count, more: pulled.more, elapsedMillis: clock.nowMillis() - started)
        }
        linkWorked()
        return .milliseconds(rest)
    }

    /// Central, as a reader of this store's own movements: what it holds of them.
    public func ownMovementsCentralHolds() async throws -> MovementRetention.Consumer {
        let pushed = Int64(try await storage.syncState(.linkPushed) ?? "") ?? 0
        return MovementRetention.Consumer(position: SyncCursor([own: pushed]), scope: .only(own))
    }

    /// Loads central's stock as it stands again at the next exchange (`StockSnapshot`), with what
    /// this store sold since central last heard of it on top, and pulls on from there.
    public func startOver() async throws {
        try await storage.setSyncState(.linkCursor, "")
        try await storage.setSyncState(.linkState, "")
        try await storage.setSyncState(.linkBootstrapped, "")
        machine.withLockedValue { $0.startedOver() }
        startOvers.publish(.everything)
    }

    private func load(_ bootstrap: StoreBootstrap) async throws {
        let central = ServerRegistration(key: bootstrap.central, name: bootstrap.central.value, type: .main, url: centralURL, shops: [])
        for server in [central, bootstrap.store] where try await storage.server(key: server.key) == nil {
            try await storage.registerServer(server, tokenFingerprint: nil)
        }
        try await RegistryLinks(storage: storage, role: .store, own: own).update()
        try await storage.addMissingShops(bootstrap.shops)
        if let heads = bootstrap.heads {
            try await storage.load(StockSnapshot(stock: bootstrap.stock, heads: heads), shops: bootstrap.store.shops, own: own)
        } else {
            // A central before sync protocol 3: on hand arrives as the movements it is the sum of.
            try await storage.addMissingStock(
                bootstrap.stock.map { StockLevel(shop: $0.shop, product: $0.product, onHand: 0, blocked: $0.blocked) },
                origin: own
            )
        }
        try await keep(bootstrap.users)
        try await keep(bootstrap.preferences)
        logger.notice("loaded from central", metadata: ["shops": "\(bootstrap.shops.count)", "stock_lines": "\(bootstrap.stock.count)"])
    }

    /// Makes the store's users central's: adds those it lacks, updates those whose password,
    /// rights or shops changed, and removes those central no longer lists (disabled or deleted
    /// there), so that a user refused at head office is refused at every till within the
    /// link's latency. Cut off from central, the store keeps the last list it had.
    private func keep(_ users: [StoreBootstrap.User]) async throws {
        let listed = Set(users.map(\.name))
        var after: String?
        while true {
            let page = try await storage.users(after: after, limit: 500)
            for user in page where !listed.contains(user.principal.name) {
                _ = try await storage.deleteUser(named: user.principal.name)
                logger.notice("user removed: central no longer lists it", metadata: ["user": "\(user.principal.name)"])
            }
            guard page.count == 500, let last = page.last else { break }
            after = last.principal.name
        }
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
        return StoreLinkMachine.pause(
            offline: status == .offline,
            failures: failures,
            retrySeconds: retry,
            interval: interval,
            jitter: Double.random(in: 0.5...1)
        )
    }

    /// Tells the machine something, logging the store's status when that changes it.
    private func change<Result>(_ event: (inout StoreLinkMachine) -> Result) -> Result {
        let (before, after, result) = machine.withLockedValue { machine in
            let before = machine.status
            let result = event(&machine)
            return (before, machine.status, result)
        }
        if before != after {
            logger.notice("store status changed", metadata: ["from": "\(before.rawValue)", "to": "\(after.rawValue)"])
        }
        return result
    }

    private func preference(_ preference: Preference) async throws -> Int {
        preference.effectiveValue(stored: try await storage.storedPreference(preference))
    }

    /// Between exchanges a database that does not answer must not end the link, only slow it.
    private func preferenceOrDefault(_ preference: Preference) async -> Int {
        (try? await self.preference(preference)) ?? preference.defaultValue
    }
}
