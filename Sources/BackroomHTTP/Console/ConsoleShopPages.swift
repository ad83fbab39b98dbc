import BackroomCore
import BackroomStorage
import Hummingbird

/// The console's Stock page (right `stock` on the shop: on hand, blocked, reserved, ATP, the
/// latest movements; set on hand with a confirmation) and Reservations page (right
/// `reservation` on the shop: by state, cancel one).
extension ConsoleController {
    func addShopRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("stock", use: stockPage)
        group.post("stock", use: setStock)
        group.get("reservations", use: reservationsPage)
        group.post("reservations/:id/cancel", use: cancelReservation)
    }

    @Sendable func stockPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let principal = context.identity else { return Self.redirect(to: "/signin") }
        guard principal.holdsAny(of: [.stock]) else { return refused(principal, right: "stock", context: context, request: request) }
        let query = request.uri.queryParameters
        var model: [String: Any] = [
            "stockPage": true, "notice": query.get("notice").map { String($0) } ?? "", "xsrf": request.cookies[SessionCookie.xsrf]?.value ?? "",
        ]
        if let shopText = query.get("shop"), let shop = Int(shopText), let product = query.get("product").map({ String($0) }), !product.isEmpty {
            guard principal.mayActOn(shop: shop) else {
                return refused(principal, right: "stock on shop \(shop)", context: context, request: request)
            }
            model["shop"] = shop
            model["product"] = product
            if let stock = try await storage.productStock(shop: shop, products: [product], at: settings.clock.nowMillis())[product] {
                let movements = try await storage.movementHistory(shop: shop, product: product, before: nil, limit: 20)
                model["found"] =
                    [
                        "onHand": stock.onHand, "blocked": stock.blocked, "reserved": stock.reserved, "atp": stock.available,
                        "movements": movements.map { listed -> [String: Any] in
                            let movement = listed.movement
                            return [
                                "created": LocalTimestamp.iso8601(millis: movement.createdAt, offsetSeconds: 0),
                                "movementId": "\(movement.origin.value):\(movement.sequence)",
                                "qty": movement.qty, "reason": movement.reason.rawValue, "reference": movement.reference ?? "",
                            ]
                        },
                    ] as [String: Any]
            } else {
                model["missing"] = true
            }
        }
        return page(ConsoleText.Title.stock, "stock", model, context: context, request: request)
    }

    /// On hand set to what was counted, only with the form's confirmation; the difference is a
    /// `count` movement, as with the admin API.
    @Sendable func setStock(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.requireAny(of: [.stock])
        let form = try await Self.provenForm(request, context: context)
        guard let shop = form["shop"].flatMap({ Int($0) }), let product = form["product"], !product.isEmpty else {
            return Self.stock(notice: ConsoleText.Stock.shopAndProductNeeded)
        }
        try context.requireShop(shop, for: principal)
        let back = "shop=\(shop)&product=\(product.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        guard form["confirm"] == "yes" else { return Self.stock(notice: ConsoleText.Stock.notConfirmed, back) }
        guard let onHand = form["stock"].flatMap({ Int64($0) }), (0...StockSetting.maximumQuantity).contains(onHand) else {
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

    @Sendable func reservationsPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let principal = context.identity else { return Self.redirect(to: "/signin") }
        guard principal.holdsAny(of: [.reservation]) else { return refused(principal, right: "reservation", context: context, request: request) }
        let query = request.uri.queryParameters
        let state = query.get("state").flatMap { ReservationListState(rawValue: String($0)) }
        var model: [String: Any] = [
            "reservationsPage": true, "notice": query.get("notice").map { String($0) } ?? "",
            "xsrf": request.cookies[SessionCookie.xsrf]?.value ?? "",
            "states": [["value": "", "label": "any", "selected": state == nil]]
                + ReservationListState.allCases.map {
                    ["value": $0.rawValue, "label": $0.rawValue, "selected": $0 == state] as [String: Any]
                },
        ]
        // Only central keeps reservations.
        if let shop = query.get("shop").flatMap({ Int($0) }), reservations != nil {
            guard principal.mayActOn(shop: shop) else {
                return refused(principal, right: "reservation on shop \(shop)", context: context, request: request)
            }
            let now = settings.clock.nowMillis()
            model["shop"] = shop
            model["rows"] = try await storage.reservations(shop: shop, state: state, at: now, before: nil, limit: ListPaging.defaultLimit).map {
                reservation -> [String: Any] in
                let listed = ReservationListState(reservation, at: now)
                return [
                    "id": reservation.id, "state": listed.rawValue, "type": reservation.type.rawValue,
                    "cancellable": listed == .active || listed == .expired,
                    "validUntil": LocalTimestamp.iso8601(millis: reservation.validUntil, offsetSeconds: 0),
                    "items": reservation.lines.map { "\($0.qty) × \($0.product)" }.joined(separator: ", "),
                ]
            }
        }
        return page(ConsoleText.Title.reservations, "reservations", model, context: context, request: request)
    }

    @Sendable func cancelReservation(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.requireAny(of: [.reservation])
        let form = try await Self.provenForm(request, context: context)
        let back = "shop=" + (form["shop"].flatMap { Int($0) }.map(String.init) ?? "")
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
