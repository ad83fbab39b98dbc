import BackroomCore
import BackroomStorage
import Foundation
import Hummingbird

/// `servlets/services/atp/{shopId}/{ids}`: available to promise, per product, in the order asked.
struct AvailabilityController {
    let storage: any StockStore & ReservationStore
    let timeZone: TimeZone
    let clock: BackroomClock

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("atp/:shop/:ids", use: availability)
    }

    @Sendable func availability(_ request: Request, context: AppRequestContext) async throws -> Envelope<[AvailabilityRow]> {
        let shop = try context.shop(parameter: "shop", for: try context.requireAny(of: [.atp, .reservation]))
        let ids = try ProductIDList.parse(context.parameters.get("ids") ?? "", field: "ids")
        guard try await storage.shopExists(shop) else { throw ReservationProblems.noSuchShop(shop) }
        let now = clock.nowMillis()
        let own = try await ownQuantities(request, shop: shop, at: now)
        let stock = try await storage.productStock(shop: shop, products: ids, at: now)
        let (rows, unknown) = AvailabilityRow.rows(ids, shop: shop, stock: stock, own: own, timeZone: timeZone)
        return .success(rows, exceptions: unknown)
    }

    /// What the reservation named by `?resvId=` holds, which is available to that reservation.
    private func ownQuantities(_ request: Request, shop: Int, at now: Int64) async throws -> [String: Int64] {
        guard let text = request.uri.queryParameters.get("resvId") else { return [:] }
        guard let id = Int64(text), id > 0 else { throw EnvelopeError.field("resvId", "resvId must be a reservation id") }
        guard let reservation = try await storage.reservation(id: id), reservation.shop == shop, reservation.state != .cancelled else {
            throw ReservationProblems.noSuchReservation(text, during: .read)
        }
        guard reservation.state != .committed else { throw ReservationProblems.committed(text, during: .read) }
        guard reservation.holdsStock(at: now) else { return [:] }
        return Dictionary(reservation.lines.map { ($0.product, $0.qty) }, uniquingKeysWith: +)
    }
}
