import BackroomCore
import BackroomStorage
import Foundation
import Hummingbird

/// `GET /api/v1/shops/{shopId}/stock?ids=A,B`: the tills' stock look-up, the rows of ATP. On a
/// store, `reserved` is what central last said it holds: reservations live on central.
struct StockLookupController {
    let storage: any StockStore & ReplicationStore
    let role: ServerRole
    let timeZone: TimeZone
    let clock: BackroomClock

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("shops/:shop/stock", use: lookUp)
    }

    @Sendable func lookUp(_ request: Request, context: AppRequestContext) async throws -> Envelope<[AvailabilityRow]> {
        let shop = try context.shop(parameter: "shop", for: try context.requireAny(of: [.stock, .atp, .reservation]))
        let ids = try ProductIDList.parse(request.uri.queryParameters.get("ids") ?? "", field: "ids")
        guard try await storage.shopExists(shop) else { throw ReservationProblems.noSuchShop(shop) }
        var stock = try await storage.productStock(shop: shop, products: ids, at: clock.nowMillis())
        if role == .store {
            for (product, qty) in try await storage.centralReserved(shop: shop, products: ids) { stock[product]?.reserved += qty }
        }
        let (rows, unknown) = AvailabilityRow.rows(ids, shop: shop, stock: stock, timeZone: timeZone)
        return .success(rows, exceptions: unknown)
    }
}
