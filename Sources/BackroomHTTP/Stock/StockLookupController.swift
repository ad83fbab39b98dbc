import BackroomCore
import BackroomStorage
import Hummingbird

/// `GET /api/v1/shops/{shopId}/stock?ids=A,B`: the tills' stock look-up, the rows of ATP.
struct StockLookupController {
    let storage: any BackroomStorage

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("shops/:shop/stock", use: lookUp)
    }

    @Sendable func lookUp(_ request: Request, context: AppRequestContext) async throws -> Envelope<[AvailabilityRow]> {
        let shop = try context.shop(parameter: "shop", for: try context.requireAny(of: [.stock, .atp, .reservation]))
        let ids = try ProductIDList.parse(request.uri.queryParameters.get("ids") ?? "", field: "ids")
        guard try await storage.shopExists(shop) else { throw ReservationProblems.noSuchShop(shop) }
        let stock = try await storage.productStock(shop: shop, products: ids, at: Clock.nowMillis())
        return .success(ids.map { AvailabilityRow(id: $0, stock: stock[$0]) })
    }
}
