import BackroomCore
import BackroomStorage
import BackroomSync
import Hummingbird
import Logging
import ServiceLifecycle

/// One `backroom` process, composed once: its HTTP application and the background services
/// around it, over a storage it is given. `serve` runs it; the tests' live servers build the
/// very same thing.
public struct BackroomServer: Sendable {
    /// How a store reaches central.
    public struct CentralLink: Sendable {
        /// Central's URLs, tried in turn when one stops answering; at least one.
        public let urls: [String]
        public let token: String
        /// What central's certificate is checked against, over `https://`.
        public let tls: OutboundTLS

        public init(urls: [String], token: String, tls: OutboundTLS = .system) {
            self.urls = urls
            self.token = token
            self.tls = tls
        }
    }

    public let application: Application<RouterResponder<AppRequestContext>>
    /// Every route the application answers.
    public let routes: [RouteDescription]
    /// What the HTTP server's requests need until the last one is answered (the reservation
    /// queue): started before it, stopped after it.
    public let foundations: [(name: String, service: any Service)]
    /// The background work (store link or pinger, sync engine): started after the HTTP server,
    /// stopped before it, so that a visit under way ends while the database is still open.
    public let background: [(name: String, service: any Service)]
    /// Opened once the database is migrated (`open()`): the background services wait for it.
    public let readiness: StorageReadiness
    private let engine: SyncEngine

    /// - Parameters:
    ///   - centralLink: a store's link to central; nil for central itself.
    ///   - askStores: on central, whether stores are pinged (false: tests whose registry must stay as written).
    public init(
        storage: any BackroomStorage,
        settings: ServerSettings,
        centralLink: CentralLink?,
        askStores: Bool = true,
        logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) {
        let own = settings.serverKey
        let clock = settings.clock
        let readiness = StorageReadiness()
        let leadership = EngineLeadership()
        var connectors: [ConnectorKind: any SyncConnector] = [
            .erpFiles: ErpFilesConnector(storage: storage, own: own, root: settings.erpRoot, clock: clock, logger: logger),
            .http: HTTPConnector(storage: storage, clock: clock, logger: logger, allowed: settings.connectorAllow),
        ]
        var background: [(name: String, service: any Service)] = []
        let link = centralLink.map { central in
            StoreLink(
                storage: storage,
                localChanges: storage.changes,
                readiness: readiness,
                own: own,
                centralURLs: central.urls,
                token: central.token,
                tls: central.tls,
                secrets: settings.secrets,
                clock: clock,
                logger: logger
            )
        }
        var pinger: ServerPinger?
        if let link {
            // A store has its link to central instead of pinging anyone.
            connectors[.centralLink] = CentralLinkConnector(link: link)
            background.append(("store link", link))
        } else {
            let centralPinger = ServerPinger(
                storage: storage,
                readiness: readiness,
                own: own,
                leadership: leadership,
                tls: settings.storeTLS,
                clock: clock,
                logger: logger
            )
            connectors[.storeLink] = StoreLinkConnector(storage: storage, clock: clock) { key, url in
                askStores ? await centralPinger.ping(key, at: url) : (.offline, "\(key) is not asked")
            }
            if askStores { background.append(("pinger", centralPinger)) }
            pinger = centralPinger
        }
        let engine = SyncEngine(
            storage: storage,
            readiness: readiness,
            role: settings.role,
            own: own,
            connectors: connectors,
            secrets: settings.secrets,
            leadership: leadership,
            clock: clock,
            logger: logger
        )
        background.append(("sync engine", engine))
        background.append(
            (
                "retention",
                RetentionService(
                    run: RetentionRun(storage: storage, engine: engine, clock: clock, logger: logger),
                    readiness: readiness,
                    period: RetentionRun.period,
                    clock: clock,
                    logger: logger
                )
            )
        )
        let figures = RecentFigures(clock: clock)
        let registry = RegistryReader(
            storage: storage,
            role: settings.role,
            identity: PeerIdentity(key: own, currentStatus: { link?.status ?? .online }),
            clock: clock,
            backlogs: BacklogCache(feed: storage.changes)
        )
        if link == nil {
            background.append(
                (
                    "backlog sampler",
                    BacklogSampler(registry: registry, figures: figures, readiness: readiness, period: .seconds(10), clock: clock, logger: logger)
                )
            )
        }
        // Only central keeps reservations: a store forwards them and needs no queue.
        let reservations = link == nil ? ReservationService(storage: storage, origin: own, figures: figures, clock: clock) : nil
        (application, routes) = BackroomApplication.build(
            storage: storage,
            settings: settings,
            engine: engine,
            reservations: reservations,
            prober: pinger?.prober,
            readiness: readiness,
            logger: logger,
            registry: registry,
            figures: figures,
            link: link,
            onServerRunning: onServerRunning
        )
        foundations = reservations.map { [("reservation queue", $0 as any Service)] } ?? []
        self.background = background
        self.readiness = readiness
        self.engine = engine
    }

    /// Lets the server's services begin, once the database is migrated: the registry's links
    /// made into connections first, so that the first answer already lists them.
    public func open() async throws {
        try await engine.linkRegistry()
        readiness.open()
    }
}
