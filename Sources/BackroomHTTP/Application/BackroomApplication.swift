import BackroomCore
import BackroomStorage
import BackroomSync
import Hummingbird
import HummingbirdCore
import Logging

/// The router of one `backroom` process, every API family on it; `BackroomServer` builds it.
enum BackroomApplication {
    /// `prober`, on central the pinger's, is shared with the status service; `reservations` is
    /// nil on a store, which forwards reservation requests to central over its `link`; `registry` tells this
    /// server's own status; `figures` are the console's charts.
    /// Query parameters through which clients of the original suite (and careless ones) send
    /// credentials: never kept in a trace. Headers are not recorded at all.
    static let credentialsInQueries: Set<String> = ["authenticationToken", "token", "access_token", "password", "apiKey", "api_key"]

    static func build(
        storage: any BackroomStorage,
        settings: ServerSettings,
        engine: SyncEngine,
        reservations: ReservationService?,
        prober: ServerStatusProber?,
        readiness: StorageReadiness,
        logger: Logger,
        registry: RegistryReader,
        figures: RecentFigures,
        link: StoreLink?,
        onServerRunning: @escaping @Sendable (Int) async -> Void
    ) -> (application: Application<RouterResponder<AppRequestContext>>, routes: [RouteDescription]) {
        let verifier = CredentialVerifier(storage: storage, clock: settings.clock)
        let signIn = SignInGuard(verifier: verifier, storage: storage, clock: settings.clock)
        let auditor = Auditor(storage: storage, clock: settings.clock)
        let router = Router(context: AppRequestContext.self)
        // First, so that every request is one span and what it sets off (database, central) nests in it.
        router.add(middleware: TracingMiddleware(redactingQueryParameters: Self.credentialsInQueries))
        router.add(middleware: SecurityHeaders())
        router.add(middleware: ClientAddressMiddleware(trusted: settings.trustedProxies))
        router.add(middleware: RequestLogMiddleware(clock: settings.clock))
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: HangUpMiddleware())

        HealthController(storage: storage, settings: settings, readiness: readiness).addRoutes(to: router)
        OpenAPIController(role: settings.role).addRoutes(to: router)
        let identity = registry.identity
        let prober = prober ?? ServerStatusProber(storage: storage, identity: identity, tls: link?.tls ?? settings.storeTLS, clock: settings.clock)
        ServerStatusController(storage: storage, identity: identity, prober: prober, clock: settings.clock).addRoutes(to: router)
        SyncController(
            storage: storage,
            own: settings.serverKey,
            clock: settings.clock,
            bodyLimit: settings.bodyLimit,
            secrets: settings.secrets,
            changes: storage.changes,
            replicatedCache: ChangeCache(feed: storage.changes),
            marksCache: KeyedChangeCache(feed: storage.changes)
        )
        .addRoutes(to: router)
        MetricsController(registry: registry, figures: figures, database: storage, clock: settings.clock).addRoutes(to: router)

        let api = router.group("api/v1")
            .add(middleware: EnvelopeErrorMiddleware())
            .add(middleware: EnvelopeErrorMiddleware.unavailableDatabase)
            .add(middleware: BodyLimitMiddleware(limit: settings.bodyLimit))
            .add(middleware: CredentialAuthenticator(signIn: signIn, verifier: verifier, schemes: .all))
        let sessions = SessionIssuer(storage: storage, clock: settings.clock, secure: settings.tls != nil)
        SessionController(issuer: sessions, signIn: signIn).addRoutes(to: api)
        StockAdministrationController(
            storage: storage,
            auditor: auditor,
            serverKey: settings.serverKey,
            timeZone: settings.timeZone,
            clock: settings.clock
        ).addRoutes(to: api)
        MovementController(storage: storage, serverKey: settings.serverKey, clock: settings.clock).addRoutes(to: api)
        StockLookupController(storage: storage, role: settings.role, timeZone: settings.timeZone, clock: settings.clock).addRoutes(to: api)
        ServerRegistryController(
            storage: storage,
            registry: registry,
            prober: prober,
            auditor: auditor,
            secrets: settings.secrets,
            linkRegistry: engine.linkRegistry
        ).addRoutes(to: api)
        PreferenceController(storage: storage, auditor: auditor).addRoutes(to: api)
        if let reservations {
            ReservationAdminController(storage: storage, reservations: reservations, auditor: auditor, clock: settings.clock).addRoutes(to: api)
        }
        AuditController(storage: storage).addRoutes(to: api)
        EngineController(engine: engine, auditor: auditor).addRoutes(to: api)
        ErpFilesController(engine: engine).addRoutes(to: api)
        UserAdminController(storage: storage, auditor: auditor, signIn: signIn).addRoutes(to: api)
        TokenAdminController(storage: storage, auditor: auditor).addRoutes(to: api)

        // The console: signed in by session only; a form proves where it comes from by a field.
        let console = router.group()
            .add(middleware: ConsoleHeaders(strictTransport: settings.tls != nil))
            .add(middleware: EnvelopeErrorMiddleware())
            .add(middleware: EnvelopeErrorMiddleware.unavailableDatabase)
            .add(middleware: BodyLimitMiddleware(limit: 64 << 10))
            .add(middleware: CredentialAuthenticator(signIn: signIn, verifier: verifier, schemes: .session, needsXSRFProof: { _ in false }))
            .add(middleware: ConsoleSignInRedirect())
        ConsoleController(
            storage: storage,
            engine: engine,
            registry: registry,
            signIn: signIn,
            sessions: sessions,
            settings: settings,
            auditor: auditor,
            reservations: reservations,
            figures: figures,
            prober: prober,
            link: link,
            storeFeed: ConsoleController.storeRowsFeed(registry: registry, figures: figures, clock: settings.clock)
        ).addRoutes(to: console)

        // Every call of the agent proves where it comes from when signed in by cookie.
        let agents = router.group("api/v1/Agents/ErpSync")
            .add(middleware: ErpSyncErrorMiddleware())
            .add(middleware: ErpSyncErrorMiddleware.unavailableDatabase)
            .add(middleware: BodyLimitMiddleware(limit: settings.bodyLimit))
            .add(middleware: CredentialAuthenticator(signIn: signIn, verifier: verifier, schemes: .all, needsXSRFProof: { _ in true }))
        ErpSyncController(engine: engine, auditor: auditor, clock: settings.clock).addRoutes(to: agents)

        let reservationRoutes = router.group("servlets/services")
            .add(middleware: EnvelopeErrorMiddleware())
            .add(middleware: EnvelopeErrorMiddleware.unavailableDatabase)
            .add(middleware: BodyLimitMiddleware(limit: settings.bodyLimit))
            .add(middleware: ForwardedClientMiddleware(storage: storage))
            .add(middleware: CredentialAuthenticator(signIn: signIn, verifier: verifier, schemes: .basic))
            .add(
                middleware: PeerStatusMiddleware(
                    recorder: PeerStatusRecorder(storage: storage, own: settings.serverKey, clock: settings.clock),
                    onlyAuthenticated: true
                )
            )
        if let service = reservations {
            ReservationController(storage: storage, reservations: service, timeZone: settings.timeZone, clock: settings.clock)
                .addRoutes(to: reservationRoutes)
            AvailabilityController(storage: storage, timeZone: settings.timeZone, clock: settings.clock).addRoutes(to: reservationRoutes)
        } else if let link {
            ReservationForwarder(
                storage: storage,
                centralURL: { link.centralURL },
                storeToken: { link.token },
                identity: identity,
                tls: link.tls
            ).addRoutes(to: reservationRoutes)
        }

        let open = ConnectionGuard.OpenConnections(limits: settings.connections)
        let http = HTTPServerBuilder.http1(configuration: .init(additionalChannelHandlers: [ConnectionGuard(open)]))
        let routes = router.routes.map { RouteDescription(method: $0.method.rawValue, path: "\($0.path)") }
        let application = Application(
            router: router,
            server: settings.tls?.server(http) ?? http,
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "Backroom"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? settings.port) },
            logger: logger
        )
        return (application, routes)
    }
}

/// A route of the router as the OpenAPI document is checked against it: `GET`, `/api/v1/users/:name`.
public struct RouteDescription: Hashable, Sendable, CustomStringConvertible {
    public let method: String
    public let path: String

    public var description: String { "\(method) \(path)" }
}
