import BackroomCore
import BackroomStorage
import Hummingbird

/// `POST /api/v1/shops/{shopId}/movements`: sales, returns, receipts, counts and adjustments as
/// tills and operators send them, applied at once where they arrive (either role) and numbered
/// under this server's key for the sync engine to replicate.
struct MovementController {
    let storage: any StockStore
    let serverKey: ServerKey
    let clock: BackroomClock

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("shops/:shop/movements", use: record)
    }

    @Sendable func record(_ request: Request, context: AppRequestContext) async throws -> Envelope<[MovementRow]> {
        let principal = try context.requireAny(of: [.stock])
        let shop = try context.shop(parameter: "shop", for: principal)
        let claim = try request.idempotencyClaim(for: principal)
        let movements = try await JSONRequestBody.read(request, context: context, as: MovementRequest.parseList)
        let idempotency = claim.map { IdempotentRequest(claim: $0, request: MovementRequest.canonicalForm(movements)) }
        let outcome: MovementOutcome
        do {
            outcome = try await storage.recordMovements(
                shop: shop, movements, idempotency: idempotency, origin: serverKey, at: clock.nowMillis()
            )
        } catch StorageError.unknownShop {
            throw ReservationProblems.noSuchShop(shop)
        }
        switch outcome {
        case .recorded(let recorded):
            return .success(recorded.map(MovementRow.init), status: .created)
        case .unknownProducts(let products):
            throw ReservationProblems.error(.unknownProducts(products), during: .create)
        case .idempotencyKeyReused:
            throw ReservationProblems.error(.idempotencyKeyReused, during: .create)
        }
    }
}

/// A recorded movement on the wire: `movementId` is its globally unique `ORIGIN:SEQUENCE`.
struct MovementRow: JSONRepresentable, Sendable {
    let movement: RecordedMovement

    var json: JSONValue {
        .object([
            "movementId": .string(movement.movementID), "id": .string(movement.product),
            "qty": .integer(movement.qty), "reason": .string(movement.reason),
        ])
    }
}
