import ArgumentParser
import BackroomCore
import BackroomHTTP
import BackroomStorage
import BackroomSync
import Foundation
import Logging
import OTel
import ServiceLifecycle

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the server until SIGTERM or SIGINT; in-flight requests finish first.",
        discussion: """
            Applies pending database migrations before it listens. A central server defaults to the \
            server key CENTRAL; a store server needs --server-key, --central-url and --central-token.
            """
    )

    @Option(help: "central or store (env BACKROOM_ROLE; default central).")
    var role: String?

    @Option(help: "Address to listen on (env BACKROOM_HOST; default 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on, 0 for any free one (env BACKROOM_PORT; default 8080).")
    var port: Int?

    @OptionGroup var database: DatabaseOptions

    @OptionGroup var exchange: ExchangeOptions

    @Option(help: "This server's key (env BACKROOM_SERVER_KEY; central's defaults to CENTRAL).")
    var serverKey: String?

    @Option(help: "Store role: central's URL; repeated, the next is used when one stops answering (env BACKROOM_CENTRAL_URL, comma-separated).")
    var centralURL: [String] = []

    @Option(help: "Store role: the token printed by 'backroom server add' on central (env BACKROOM_CENTRAL_TOKEN).")
    var centralToken: String?

    @Option(help: "PEM certificate chain to serve HTTPS with, together with --tls-key (env BACKROOM_TLS_CERT).")
    var tlsCert: String?

    @Option(help: "PEM private key of --tls-cert (env BACKROOM_TLS_KEY).")
    var tlsKey: String?

    @Option(
        help: "Store role: PEM certificate(s) of a private CA to trust for central's https:// URL, besides the system's (env BACKROOM_CENTRAL_CA)."
    )
    var centralCA: String?

    @Option(
        help: "Central role: PEM certificate(s) of a private CA to trust for stores' https:// URLs, besides the system's (env BACKROOM_STORE_CA)."
    )
    var storeCA: String?

    @Flag(help: "Load the demo data first (env BACKROOM_DEMO=true).")
    var demo = false

    @Option(help: "Largest request body accepted, in bytes (env BACKROOM_BODY_LIMIT; default 1048576).")
    var bodyLimit: Int?

    @Option(
        help: ArgumentHelp(
            "A proxy or load balancer (an address or CIDR block) whose X-Forwarded-For or Forwarded header names the client; repeatable (env BACKROOM_TRUSTED_PROXIES, comma-separated).",
            valueName: "cidr"
        )
    )
    var trustedProxy: [String] = []

    @Option(
        help:
            "Seconds a connection has to send a request's headers in full (env BACKROOM_HEADER_TIMEOUT; default \(ConnectionLimits.defaultHeaderSeconds))."
    )
    var headerTimeout: Int?

    @Option(
        help:
            "Seconds a connection may sit idle between requests (env BACKROOM_IDLE_TIMEOUT; default \(ConnectionLimits.defaultIdleSeconds); keep it above a load balancer's own)."
    )
    var idleTimeout: Int?

    @Option(
        help:
            "Connections open at once; past it a new one is answered 503 (env BACKROOM_MAX_CONNECTIONS; default \(ConnectionLimits.defaultMaximum); keep LimitNOFILE above it)."
    )
    var maxConnections: Int?

    @Option(help: "IANA time zone of the times the reservation service writes (env BACKROOM_TIME_ZONE; default UTC).")
    var timeZone: String?

    @Option(help: "trace, debug, info, notice, warning, error or critical (env BACKROOM_LOG_LEVEL; default info).")
    var logLevel: String?

    @Option(help: "text, or json for one object per line for log shippers (env BACKROOM_LOG_FORMAT; default text).")
    var logFormat: String?

    func run() async throws {
        let configuration = try ServeConfiguration(self)
        LoggingSystem.bootstrap { label in
            switch configuration.logFormat {
            case .text:
                var handler = StreamLogHandler.standardOutput(label: label)
                handler.logLevel = configuration.logLevel
                return handler
            case .json:
                return JSONLogHandler(label: label, logLevel: configuration.logLevel)
            }
        }
        ProcessMetrics.bootstrap()
        let logger = Logger(label: "backroom")
        let systemd = SystemdNotifier()
        if case .sqlite(let path) = configuration.database { try ServingLock.holdShared(path) }
        let storage = try StorageFactory.open(configuration.database, clock: configuration.settings.clock, logger: logger)
        let server = BackroomServer(
            storage: storage,
            settings: configuration.settings,
            centralLink: configuration.central,
            logger: logger
        ) { port in
            let url = "\(configuration.settings.tls == nil ? "http" : "https")://\(configuration.settings.host):\(port)"
            logger.notice("listening", metadata: ["url": "\(url)"])
            // After the migrations and with the listener up: what Type=notify waits for.
            systemd?.send("READY=1\nSTATUS=listening on \(url)")
        }
        var app = server.application
        app.beforeServerStarts {
            let applied = try await StartupCheck.migrate(storage, location: configuration.database, clock: configuration.settings.clock)
            logger.info("database ready", metadata: ["database": "\(configuration.database)", "migrations_applied": "\(applied)"])
            if configuration.loadDemo {
                try await loadDemo(storage, origin: configuration.settings.serverKey, logger: logger)
            }
            try await server.open()
        }
        let bound = ShutdownBound(clock: configuration.settings.clock, logger: logger)
        var services: [(name: String, service: any Service)] =
            try Self.traceExport(role: configuration.settings.role, logger: logger).map { [("traces", $0)] } ?? []
        services += [("database", storage)] + server.foundations + [("http", app)] + server.background
        if let systemd {
            let environment = ProcessInfo.processInfo.environment
            let interval = SystemdWatchdog.interval(usec: environment["WATCHDOG_USEC"], pid: environment["WATCHDOG_PID"], ownPID: getpid())
            services.append(("systemd", SystemdService(notifier: systemd, watchdogInterval: interval, clock: configuration.settings.clock)))
        }
        var groupConfiguration = ServiceGroupConfiguration(
            services: services.map { .init(service: bound.tracked($0.service, named: $0.name)) },
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        groupConfiguration.maximumGracefulShutdownDuration = ShutdownBound.grace
        let group = ServiceGroup(configuration: groupConfiguration)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { await bound.watch() }
            defer { tasks.cancelAll() }
            try await group.run()
        }
        if bound.wasCut { throw ExitCode(1) }
        logger.notice("stopped")
    }

    /// The OpenTelemetry trace exporter, when the `OTEL_*` variables ask for one; first in the
    /// service group, so that it stops last and sends the spans of the last requests.
    private static func traceExport(role: ServerRole, logger: Logger) throws -> (any Service)? {
        let environment = ProcessInfo.processInfo.environment
        guard
            TraceExport.isRequested(
                endpoint: environment["OTEL_EXPORTER_OTLP_ENDPOINT"],
                tracesEndpoint: environment["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"]
            )
        else { return nil }
        var settings = OTel.Configuration.default
        // Logs and metrics have their own way out (stdout, /metrics); OTEL_SERVICE_NAME wins.
        settings.serviceName = "backroom-\(role.rawValue)"
        settings.logs.enabled = false
        settings.metrics.enabled = false
        settings.traces.enabled = true
        settings.diagnosticLogger = .custom(logger)
        do {
            return try OTel.bootstrap(configuration: settings)
        } catch {
            throw ConfigurationError("the OTEL_* settings do not describe a trace export: \(error)")
        }
    }

    private func loadDemo(_ storage: any BackroomStorage, origin: ServerKey, logger: Logger) async throws {
        let outcome = try await DemoLoader.load(into: storage, origin: origin)
        logger.info("demo data loaded", metadata: ["stock_lines_added": "\(outcome.stockLinesAdded)"])
        logger.warning(
            "DEMO DATA: user 'admin' has password '\(DemoData.adminPassword)' and store VALLBLANCA syncs with token '\(DemoData.vallblancaToken)'; never use them in production"
        )
    }
}

/// `serve`'s options and environment, checked and resolved before anything starts.
struct ServeConfiguration {
    let settings: ServerSettings
    /// A store's link to central; nil for central itself.
    let central: BackroomServer.CentralLink?
    let database: DatabaseLocation
    let loadDemo: Bool
    let logLevel: Logger.Level
    let logFormat: LogFormat

    init(_ options: Serve) throws(ConfigurationError) {
        let roleName = EnvironmentFallback.value(options.role, "BACKROOM_ROLE") ?? ServerRole.central.rawValue
        guard let role = ServerRole(rawValue: roleName) else {
            throw ConfigurationError("role must be central or store, got '\(roleName)'")
        }
        let host = EnvironmentFallback.value(options.host, "BACKROOM_HOST") ?? "127.0.0.1"
        let port = try EnvironmentFallback.integer(options.port, "BACKROOM_PORT", default: 8080)
        guard (0...65535).contains(port) else { throw ConfigurationError("port must be 0 to 65535, got \(port)") }
        let bodyLimit = try EnvironmentFallback.integer(options.bodyLimit, "BACKROOM_BODY_LIMIT", default: ServerSettings.defaultBodyLimit)
        guard bodyLimit > 0 else { throw ConfigurationError("body limit must be a positive number of bytes, got \(bodyLimit)") }
        let levelName = EnvironmentFallback.value(options.logLevel, "BACKROOM_LOG_LEVEL") ?? "info"
        guard let level = Logger.Level(rawValue: levelName) else {
            throw ConfigurationError("log level must be trace, debug, info, notice, warning, error or critical, got '\(levelName)'")
        }

        let keyName = EnvironmentFallback.value(options.serverKey, "BACKROOM_SERVER_KEY")
        let serverKey: ServerKey
        switch (role, keyName) {
        case (_, let name?): serverKey = try ServerKey(name)
        case (.central, nil): serverKey = .central
        case (.store, nil): throw ConfigurationError("a store server needs --server-key (or BACKROOM_SERVER_KEY)")
        }

        if role == .store {
            let urls = EnvironmentFallback.list(options.centralURL, "BACKROOM_CENTRAL_URL")
            guard !urls.isEmpty else {
                throw ConfigurationError("a store server needs --central-url (or BACKROOM_CENTRAL_URL)")
            }
            guard let token = EnvironmentFallback.value(options.centralToken, "BACKROOM_CENTRAL_TOKEN") else {
                throw ConfigurationError("a store server needs --central-token (or BACKROOM_CENTRAL_TOKEN)")
            }
            let trusted = try EnvironmentFallback.value(options.centralCA, "BACKROOM_CENTRAL_CA").map { file throws(ConfigurationError) in
                try OutboundTLS.trusting(caFile: file, option: "--central-ca")
            }
            var validated: [String] = []
            for url in urls { validated.append(try ServerURL.validate(url, option: "central URL")) }
            central = BackroomServer.CentralLink(urls: validated, token: token, tls: trusted ?? .system)
        } else {
            central = nil
        }

        let zoneName = EnvironmentFallback.value(options.timeZone, "BACKROOM_TIME_ZONE") ?? "UTC"
        guard let timeZone = TimeZone(identifier: zoneName) else {
            throw ConfigurationError("time zone must be an IANA name such as Europe/Madrid, got '\(zoneName)'")
        }

        let tls: ServerTLS?
        switch (EnvironmentFallback.value(options.tlsCert, "BACKROOM_TLS_CERT"), EnvironmentFallback.value(options.tlsKey, "BACKROOM_TLS_KEY")) {
        case (let certificate?, let key?): tls = try ServerTLS.loading(certificate: certificate, key: key)
        case (nil, nil): tls = nil
        case (_?, nil): throw ConfigurationError("--tls-cert needs --tls-key (or BACKROOM_TLS_KEY)")
        case (nil, _?): throw ConfigurationError("--tls-key needs --tls-cert (or BACKROOM_TLS_CERT)")
        }
        let storeTLS = try EnvironmentFallback.value(options.storeCA, "BACKROOM_STORE_CA").map { file throws(ConfigurationError) in
            try OutboundTLS.trusting(caFile: file, option: "--store-ca")
        }

        var trustedProxies: [AddressRange] = []
        for text in EnvironmentFallback.list(options.trustedProxy, "BACKROOM_TRUSTED_PROXIES") {
            guard let range = AddressRange(text) else {
                throw ConfigurationError("a trusted proxy must be an IP address or CIDR block such as 10.0.0.0/8, got '\(text)'")
            }
            trustedProxies.append(range)
        }

        let headerSeconds = try EnvironmentFallback.integer(
            options.headerTimeout,
            "BACKROOM_HEADER_TIMEOUT",
            default: ConnectionLimits.defaultHeaderSeconds
        )
        let idleSeconds = try EnvironmentFallback.integer(options.idleTimeout, "BACKROOM_IDLE_TIMEOUT", default: ConnectionLimits.defaultIdleSeconds)
        let maximum = try EnvironmentFallback.integer(options.maxConnections, "BACKROOM_MAX_CONNECTIONS", default: ConnectionLimits.defaultMaximum)
        guard (1...3600).contains(headerSeconds), (1...3600).contains(idleSeconds) else {
            throw ConfigurationError("header and idle time-outs must be 1 to 3600 seconds, got \(headerSeconds) and \(idleSeconds)")
        }
        guard maximum > 0 else { throw ConfigurationError("max connections must be a positive number, got \(maximum)") }

        settings = ServerSettings(
            role: role,
            serverKey: serverKey,
            host: host,
            port: port,
            bodyLimit: bodyLimit,
            timeZone: timeZone,
            clock: .system,
            secrets: try options.database.secrets(),
            tls: tls,
            storeTLS: storeTLS ?? .system,
            trustedProxies: trustedProxies,
            erpRoot: options.exchange.root(for: try options.database.location()),
            connectorAllow: try options.exchange.allowed(),
            connections: ConnectionLimits(headerSeconds: headerSeconds, idleSeconds: idleSeconds, maximum: maximum)
        )
        database = try options.database.location()
        loadDemo = try EnvironmentFallback.flag(options.demo, "BACKROOM_DEMO")
        // A store's data comes from central; demo stock of its own would be pushed to central
        // as movements and counted twice there.
        if loadDemo, role == .store {
            throw ConfigurationError("--demo is for central: a store loads its shops, stock and users from central")
        }
        logLevel = level
        let formatName = EnvironmentFallback.value(options.logFormat, "BACKROOM_LOG_FORMAT") ?? LogFormat.text.rawValue
        guard let format = LogFormat(rawValue: formatName) else {
            throw ConfigurationError("log format must be text or json, got '\(formatName)'")
        }
        logFormat = format
    }
}
