import BackroomCore
import BackroomStorage
import Foundation
import Hummingbird

/// `PUT /api/v1/shops/{shopId}/stock`: sets on hand (as a `count` movement) and blocked.
struct StockAdministrationController {
    let storage: any StockStore
    let auditor: Auditor
    let serverKey: ServerKey
    let timeZone: TimeZone
    let clock: BackroomClock

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.put("shops/:shop/stock", use: setStock)
    }

    @Sendable func setStock(_ request: Request, context: AppRequestContext) async throws -> Envelope<[AvailabilityRow]> {
        let shop = try context.shop(parameter: "shop", for: try context.requireAny(of: [.stock]))
        let settings = try await JSONRequestBody.read(request, context: context, as: StockSetting.parseList)
        let now = clock.nowMillis()
        do {
            try await storage.setStock(shop: shop, settings, origin: serverKey, at: now)
        } catch StorageError.unknownShop {
            throw ReservationProblems.noSuchShop(shop)
        }
        try await auditor.record(
            context,
            .api,
            action: "stock.set",
            target: "shop \(shop)",
            detail: .array(
                settings.map { setting in
                    .object([
                        "id": .string(setting.product), "stock": .integer(setting.onHand), "blocked": setting.blocked.map(JSONValue.integer) ?? .null,
                    ])
                }
            )
        )
        let products = settings.map(\.product)
        let stock = try await storage.productStock(shop: shop, products: products, at: now)
        return .success(AvailabilityRow.rows(products, shop: shop, stock: stock, timeZone: timeZone).rows)
    }
}
