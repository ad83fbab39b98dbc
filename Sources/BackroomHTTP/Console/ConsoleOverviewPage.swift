import BackroomCore
import BackroomStorage
import BackroomSync
import Hummingbird

/// The console's first page. On central: stores by status, the engine, alerts (stores OFF for
/// longer than the wait, refused ERP files, reservation batches lost to a lock time-out in the
/// last hour) and reservations per minute. On a store: its link to central, and its shops'
/// stock and latest sales. Users without `admin` are sent to the page their rights open.
extension ConsoleController {
    static let latestSales = 10

    struct OverviewPage: ConsolePage {
        struct StatusCount: Sendable {
            let status: String
            let count: Int
        }

        /// Central's part: its stores, alerts and reservations.
        struct Central: Sendable {
            let counts: [StatusCount]
            let alerts: [String]
            let hasAlerts: Bool
            let reservationChart: String
            let granted: Int
            let refusedCount: Int
        }

        /// A store's part: its link to central and its shops.
        struct Store: Sendable {
            let centralURL: String
            let linkStatus: String
            let lastExchange: String?
            let linkError: String?
            let shops: [Shop]
        }

        struct Shop: Sendable {
            let id: Int
            let name: String
            let products: Int
            let onHand: Int64
            let sales: [Sale]
            let hasSales: Bool
        }

        struct Sale: Sendable {
            let at: String
            let product: String
            let qty: Int64
            let reference: String
        }

        static let template = ConsoleTemplate.overview
        let title = ConsoleText.Title.overview
        let section: ConsoleSection? = .overview
        let running: Bool
        let interval: String
        let message: String
        let centralPart: Central?
        let store: Store?
    }

    @Sendable func overview(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        guard principal.isAdmin else {
            if principal.holdsAny(of: [.stock]) { return Self.redirect(to: "/stock") }
            if principal.holdsAny(of: [.reservation]), reservations != nil { return Self.redirect(to: "/reservations") }
            return refused(principal, right: "admin", context: context, request: request)
        }
        let running = try await engine.isRunning()
        var store: OverviewPage.Store?
        if let link { store = try await storeOverview(link) }
        let model = OverviewPage(
            running: running,
            interval: try await engine.interval().description,
            message: try await engine.progress().statusMessage(running: running).map(EngineController.english).joined(separator: " "),
            centralPart: link == nil ? try await centralOverview() : nil,
            store: store
        )
        return page(model, context: context, request: request)
    }

    private func centralOverview() async throws -> OverviewPage.Central {
        let rows = try await registry.rows(counted: [:]).filter { $0.server.registration.type == .store }
        // From the best to the worst, as people read a traffic light.
        let counts = [ServerStatus.online, .transitionToOnline, .transitionToOffline, .offline].map { status in
            OverviewPage.StatusCount(status: status.rawValue, count: rows.filter { $0.status == status }.count)
        }
        let now = settings.clock.nowMillis()
        let wait = Preference.transitionToOfflineWait.effectiveValue(stored: try await storage.storedPreference(.transitionToOfflineWait))
        var alerts: [String] = []
        let changes = try await storage.lastStatusChanges()
        for row in rows where row.status == .offline {
            let key = row.server.registration.key
            let since = changes[key]
            guard OfflineAlert.isDue(offlineSince: since, now: now, waitMillis: wait) else { continue }
            alerts.append(since.map { ConsoleText.Alert.offlineSince(key, Self.instant($0)) } ?? ConsoleText.Alert.neverOnline(key))
        }
        for connection in try await engine.connections(includeDeleted: false) where connection.kind == .erpFiles {
            if let failed = (try? await engine.erpFolder(connection: connection.id))??.failed.count, failed > 0 {
                alerts.append(ConsoleText.Alert.refusedFiles(connection.name, failed))
            }
        }
        let recent = figures.reservations()
        if recent.lockTimeouts > 0 {
            alerts.append(ConsoleText.Alert.lockTimeouts(Int(recent.lockTimeouts)))
        }
        let granted = Int(recent.granted.reduce(0, +))
        let refused = Int(recent.refused.reduce(0, +))
        return OverviewPage.Central(
            counts: counts,
            alerts: alerts,
            hasAlerts: !alerts.isEmpty,
            reservationChart: ConsoleChart.bars(
                [(recent.granted, "granted"), (recent.refused, "refused")],
                title: ConsoleText.Chart.reservations,
                description: ConsoleText.Chart.reservationsSummary(granted: granted, refused: refused),
                unit: ""
            ),
            granted: granted,
            refusedCount: refused
        )
    }

    private func storeOverview(_ link: StoreLink) async throws -> OverviewPage.Store {
        var shops: [OverviewPage.Shop] = []
        let ownShops = try await storage.server(key: settings.serverKey)?.registration.shops ?? []
        for shop in try await storage.shops(ownShops) {
            let lines = try await storage.stockLines(shops: [shop.id])
            let sales = try await storage.movementHistory(shop: shop.id, product: nil, before: nil, limit: 100)
                .map(\.movement).filter { $0.reason == .sale }.prefix(Self.latestSales)
            shops.append(
                OverviewPage.Shop(
                    id: shop.id,
                    name: shop.name,
                    products: lines.count,
                    onHand: lines.reduce(0) { $0 + $1.onHand },
                    sales: sales.map {
                        OverviewPage.Sale(at: Self.instant($0.createdAt), product: $0.product, qty: -$0.qty, reference: $0.reference ?? "")
                    },
                    hasSales: !sales.isEmpty
                )
            )
        }
        return OverviewPage.Store(
            centralURL: link.centralURL,
            linkStatus: link.status.rawValue,
            lastExchange: Self.instant(link.lastExchangeAt).nonEmpty,
            linkError: link.lastError?.nonEmpty,
            shops: shops
        )
    }
}
