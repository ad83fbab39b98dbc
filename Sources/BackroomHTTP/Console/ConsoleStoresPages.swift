import BackroomCore
import BackroomStorage
import Foundation
import Hummingbird
import ServiceLifecycle

/// The console's Stores page (every server of the registry, rows live over Server-Sent Events,
/// each with its lag over the hour) and each store's own page (its lag as a chart, its changes of
/// status with why it went offline, probe now). For admins.
extension ConsoleController {
    static let historyPageSize = 50

    func addStoresRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("stores", use: storesPage)
        group.get("stores/:key", use: storePage)
        group.post("stores/:key/probe", use: probeStore)
    }

    struct StoresPage: ConsolePage {
        static let template = ConsoleTemplate.stores
        let title = ConsoleText.Title.stores
        let section: ConsoleSection? = .stores
        let rows: [StoreRow]
        let notice: String?
    }

    @Sendable func storesPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        page(StoresPage(rows: try await storeRows(), notice: Self.notice(request)), context: context, request: request)
    }

    struct StorePage: ConsolePage {
        struct Change: Sendable {
            let at: String
            let status: String
            let reason: String
        }

        static let template = ConsoleTemplate.store
        let title: String
        let section: ConsoleSection? = .stores
        let store: StoreRow
        let history: [Change]
        let hasHistory: Bool
        let shops: String
        let url: String
        let notice: String?
        /// Only for a store that syncs with this central.
        let lagChart: String?
    }

    @Sendable func storePage(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let key = try? ServerKey(context.parameters.get("key") ?? ""), let server = try await storage.server(key: key) else {
            var response = page(
                MissingPage(title: ConsoleText.Title.noSuchStore, what: ConsoleText.Stores.noSuchServer(context.parameters.get("key") ?? "")),
                context: context,
                request: request
            )
            response.status = .notFound
            return response
        }
        let row = try await registry.row(server)
        let history = try await storage.statusHistory(key: key, limit: Self.historyPageSize).map { change in
            StorePage.Change(at: Self.instant(change.at), status: change.status.rawValue, reason: change.reason ?? "")
        }
        let lag = figures.lag(of: key)
        let model = StorePage(
            title: ConsoleText.Title.store(key),
            store: StoreRow(row, lag: lag),
            history: history,
            hasHistory: !history.isEmpty,
            shops: server.registration.shops.map(String.init).joined(separator: ", "),
            url: server.registration.url ?? "",
            notice: Self.notice(request),
            lagChart: row.waiting.map { _ in
                ConsoleChart.line(lag, title: ConsoleText.Chart.lag(key), description: ConsoleText.Chart.lagSummary, unit: " s")
            }
        )
        return page(model, context: context, request: request)
    }

    private struct ProbeForm: Decodable {
        let back: String?
    }

    /// Asks the store its status now, as the pinger would, and goes back to where it was asked.
    @Sendable func probeStore(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await Self.provenForm(ProbeForm.self, request, context: context)
        let back = form.back == "store" ? "/stores/\(context.parameters.get("key") ?? "")" : "/stores"
        guard let key = try? ServerKey(context.parameters.get("key") ?? ""), let server = try await storage.server(key: key) else {
            return Self.redirect(to: "/stores", notice: ConsoleText.Stores.noSuchServer(context.parameters.get("key") ?? ""))
        }
        guard key != registry.identity.key else {
            return Self.redirect(to: back, notice: ConsoleText.Stores.isThisServer(key, registry.identity.status))
        }
        let outcome = await prober.probe(key, at: server.registration.url)
        try await auditor.record(context, .api, action: "server.probe", target: "server \(key)")
        return Self.redirect(to: back, notice: ConsoleText.Stores.answered(key, outcome.status, because: outcome.error))
    }

    /// The registry's rows as events: at once, then whenever they change (the feed reads them
    /// every second for all consoles at once), with a comment now and then so that proxies keep
    /// the stream open.
    @Sendable func storeEvents(_ request: Request, context: AppRequestContext) async throws -> Response {
        let feed = storeFeed
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody { writer in
                let (id, updates) = await feed.subscribe()
                var last = ""
                var quiet = 0
                do {
                    for await data in updates {
                        // A graceful shutdown ends the stream (the browser reconnects to whichever server is up).
                        if Task.isShuttingDownGracefully { break }
                        if data != last {
                            try await writer.write(ByteBuffer(string: "event: stores\ndata: \(data)\n\n"))
                            last = data
                            quiet = 0
                        } else if quiet >= 15 {
                            try await writer.write(ByteBuffer(string: ": still here\n\n"))
                            quiet = 0
                        }
                        quiet += 1
                    }
                } catch {
                    await feed.unsubscribe(id)
                    throw error
                }
                await feed.unsubscribe(id)
                try await writer.finish(nil)
            }
        )
    }

    /// The Stores page's rows as the live events send them.
    static func storeRowsFeed(registry: RegistryReader, figures: RecentFigures, clock: BackroomClock) -> ConsoleFeed {
        ConsoleFeed(clock: clock) {
            let rows = try await registry.rows(counted: figures.backlogs()).map { StoreRow($0, lag: figures.lag(of: $0.server.registration.key)) }
            return JSONWriter.string(of: .array(rows.map(\.json)))
        }
    }

    private func storeRows() async throws -> [StoreRow] {
        try await registry.rows(counted: figures.backlogs()).map { StoreRow($0, lag: figures.lag(of: $0.server.registration.key)) }
    }

    /// What the last form did, as its redirect said.
    static func notice(_ request: Request) -> String? {
        request.uri.queryParameters.get("notice").map { String($0) }?.nonEmpty
    }

    static func instant(_ millis: Int64?) -> String {
        millis.map { LocalTimestamp.iso8601(millis: $0, offsetSeconds: 0) } ?? ""
    }
}

/// A row of the Stores page, as the page shows it and the live events send it.
struct StoreRow: Sendable {
    let key: String
    let name: String
    let status: String
    let updated: String
    let lastPing: String
    let toStore: String
    let fromStore: String
    let lag: String
    let lagPoints: String
    /// Why it last went offline, while it is not back: the store's page keeps every reason.
    let offlineLog: String
    let software: String

    init(_ server: RegisteredServer, lag: [Double?]) {
        let instant = ConsoleController.instant
        key = server.server.registration.key.value
        name = server.server.registration.name
        status = server.status.rawValue
        updated = instant(server.server.updatedAt)
        lastPing = instant(server.server.lastPing)
        toStore = server.waiting.map { String($0.toStore) } ?? ""
        fromStore = server.waiting?.fromStore.map(String.init) ?? ""
        self.lag = server.waiting.map { $0.reloads ? Self.reloads : Self.duration($0.lagSeconds) } ?? ""
        lagPoints = ConsoleChart.sparklinePoints(lag)
        offlineLog = [.online, .transitionToOnline].contains(server.status) ? "" : server.server.offlineLog ?? ""
        software = server.server.software.map(Self.software) ?? ""
    }

    /// What a store runs, and why it does not sync when it is newer than this central.
    static func software(_ software: PeerSoftware) -> String {
        let central = PeerSoftware.current.syncProtocol
        let short = "\(software.version), sync \(software.syncProtocol)"
        guard !PeerSoftware.maySync(store: software.syncProtocol, central: central) else { return short }
        return "\(short): not syncing, \(PeerSoftware.newerThanCentral(store: software.syncProtocol, central: central))"
    }

    var json: JSONValue {
        .object(
            [
                "key": key, "name": name, "status": status, "updated": updated, "lastPing": lastPing, "toStore": toStore, "fromStore": fromStore,
                "lag": lag, "lagPoints": lagPoints, "offlineLog": offlineLog, "software": software,
            ].mapValues(JSONValue.string)
        )
    }

    static let reloads = "away longer than movements are kept: loads central's stock afresh at its next contact"

    /// Seconds as people say them: "0 s", "42 s", "3 min 5 s", "2 h 10 min".
    static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded(.down))
        switch whole {
        case ..<60: return "\(whole) s"
        case ..<3600: return "\(whole / 60) min \(whole % 60) s"
        default: return "\(whole / 3600) h \(whole % 3600 / 60) min"
        }
    }
}
