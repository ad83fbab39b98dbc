import BackroomCore
import BackroomStorage
import Hummingbird

/// The console's Stock page (right `stock` on the shop: on hand, blocked, reserved, ATP, the
/// latest movements; set on hand with a confirmation) and Reservations page (right
/// `reservation` on the shop: by state, cancel one).
extension ConsoleController {
    func addStockRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("stock", use: stockPage)
        group.post("stock", use: setStock)
    }

    func addReservationRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("reservations", use: reservationsPage)
        group.post("reservations/:id/cancel", use: cancelReservation)
    }

    struct StockPage: ConsolePage {
        struct Found: Sendable {
            let onHand: Int64
            let blocked: Int64
            let reserved: Int64
            let atp: Int64
            let movements: [Movement]
        }

        struct Movement: Sendable {
            let created: String
            let movementId: String
            let qty: Int64
            let reason: String
            let reference: String
        }

        static let template = ConsoleTemplate.stock
        let title = ConsoleText.Title.stock
        let section: ConsoleSection? = .stock
        var notice: String?
        var shop: Int?
        var product: String?
        var found: Found?
        var missing = false
    }

    @Sendable func stockPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let query = request.uri.queryParameters
        var model = StockPage(notice: query.get("notice").map { String($0) }?.nonEmpty)
        if let shopText = query.get("shop"), let shop = Int(shopText), let product = query.get("product").map({ String($0) }), !product.isEmpty {
            guard principal.mayActOn(shop: shop) else {
                return refused(principal, right: "stock on shop \(shop)", context: context, request: request)
            }
            model.shop = shop
            model.product = product
            if let stock = try await storage.productStock(shop: shop, products: [product], at: settings.clock.nowMillis())[product] {
                let movements = try await storage.movementHistory(shop: shop, product: product, before: nil, limit: 20)
                model.found = StockPage.Found(
                    onHand: stock.onHand,
                    blocked: stock.blocked,
                    reserved: stock.reserved,
                    atp: stock.available,
                    movements: movements.map { listed in
                        let movement = listed.movement
                        return StockPage.Movement(
                            created: LocalTimestamp.iso8601(millis: movement.createdAt, offsetSeconds: 0),
                            movementId: "\(movement.origin.value):\(movement.sequence)",
                            qty: movement.qty,
                            reason: movement.reason.rawValue,
                            reference: movement.reference ?? ""
                        )
                    }
                )
            } else {
                model.missing = true
            }
        }
        return page(model, context: context, request: request)
    }

    private struct StockForm: Decodable {
        let shop: String?
        let product: String?
        let confirm: String?
        let stock: String?
    }

    /// On hand set to what was counted, only with the form's confirmation; the difference is a
    /// `count` movement, as with the admin API.
    @Sendable func setStock(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let form = try await Self.provenForm(StockForm.self, request, context: context)
        guard let shop = form.shop.flatMap({ Int($0) }), let product = form.product, !product.isEmpty else {
            return Self.stock(notice: ConsoleText.Stock.shopAndProductNeeded)
        }
        try context.requireShop(shop, for: principal)
        let back = "shop=\(shop)&product=\(product.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        guard form.confirm == "yes" else { return Self.stock(notice: ConsoleText.Stock.notConfirmed, back) }
        guard let onHand = form.stock.flatMap({ Int64($0) }), (0...StockSetting.maximumQuantity).contains(onHand) else {
            return Self.stock(notice: ConsoleText.Stock.badQuantity, back)
        }
        do {
            try await storage.setStock(
                shop: shop,
                [StockSetting(product: product, onHand: onHand, blocked: nil)],
                origin: settings.serverKey,
                at: settings.clock.nowMillis()
            )
        } catch StorageError.unknownShop {
            return Self.stock(notice: ConsoleText.Stock.noSuchShop(shop), back)
        }
        try await auditor.record(
            context,
            .api,
            action: "stock.set",
            target: "shop \(shop)",
            detail: .array([.object(["id": .string(product), "stock": .integer(onHand)])])
        )
        return Self.stock(notice: ConsoleText.Stock.set(product, shop: shop, onHand: onHand), back)
    }

    struct ReservationsPage: ConsolePage {
        struct StateChoice: Sendable {
            let value: String
            let label: String
            let selected: Bool
        }

        struct Row: Sendable {
            let id: Int64
            let state: String
            let type: String
            let cancellable: Bool
            let validUntil: String
            let items: String
        }

        static let template = ConsoleTemplate.reservations
        let title = ConsoleText.Title.reservations
        let section: ConsoleSection? = .reservations
        let notice: String?
        let states: [StateChoice]
        var shop: Int?
        var rows: [Row]?
    }

    @Sendable func reservationsPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let query = request.uri.queryParameters
        let state = query.get("state").flatMap { ReservationListState(rawValue: String($0)) }
        var model = ReservationsPage(
            notice: query.get("notice").map { String($0) }?.nonEmpty,
            states: [.init(value: "", label: "any", selected: state == nil)]
                + ReservationListState.allCases.map { .init(value: $0.rawValue, label: $0.rawValue, selected: $0 == state) }
        )
        // Only central keeps reservations.
        if let shop = query.get("shop").flatMap({ Int($0) }), reservations != nil {
            guard principal.mayActOn(shop: shop) else {
                return refused(principal, right: "reservation on shop \(shop)", context: context, request: request)
            }
            let now = settings.clock.nowMillis()
            model.shop = shop
            model.rows = try await storage.reservations(shop: shop, state: state, at: now, before: nil, limit: ListPaging.defaultLimit).map {
                reservation in
                let listed = ReservationListState(reservation, at: now)
                return ReservationsPage.Row(
                    id: reservation.id,
                    state: listed.rawValue,
                    type: reservation.type.rawValue,
                    cancellable: listed == .active || listed == .expired,
                    validUntil: LocalTimestamp.iso8601(millis: reservation.validUntil, offsetSeconds: 0),
                    items: reservation.lines.map { "\($0.qty) × \($0.product)" }.joined(separator: ", ")
                )
            }
        }
        return page(model, context: context, request: request)
    }

    private struct CancelForm: Decodable {
        let shop: String?
    }

    @Sendable func cancelReservation(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let form = try await Self.provenForm(CancelForm.self, request, context: context)
        let back = "shop=" + (form.shop.flatMap { Int($0) }.map(String.init) ?? "")
        guard let reservations, let id = context.parameters.get("id").flatMap({ Int64($0) }), let reservation = try await storage.reservation(id: id)
        else {
            return Self.redirect(to: "/reservations", query: back, notice: ConsoleText.Reservations.noSuchReservation)
        }
        try context.requireShop(reservation.shop, for: principal)
        let notice: String
        do {
            try await reservations.cancel(id: id)
            try await auditor.record(
                context,
                .api,
                action: "reservation.cancel",
                target: "reservation \(id)",
                detail: .object(["shop": .integer(Int64(reservation.shop))])
            )
            notice = ConsoleText.Reservations.cancelled(id)
        } catch is ReservationFailure {
            notice = ConsoleText.Reservations.cannotCancel(id)
        }
        return Self.redirect(to: "/reservations", query: back, notice: notice)
    }

    private static func stock(notice: String, _ query: String = "") -> Response {
        redirect(to: "/stock", query: query, notice: notice)
    }
}
