import BackroomCore
import BackroomStorage
import Hummingbird

/// `POST /api/v1/shops/{shopId}/movements`: sales, returns, receipts, counts and adjustments as
/// tills and operators send them, applied at once where they arrive (either role) and numbered
/// under this server's key for the sync engine to replicate. `GET` lists a shop's movements
/// (`?product=` one product's), newest first, a page at a time.
struct MovementController {
    let storage: any StockStore
    let serverKey: ServerKey
    let clock: BackroomClock

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("shops/:shop/movements", use: record)
        group.get("shops/:shop/movements", use: history)
    }

    @Sendable func history(_ request: Request, context: AppRequestContext) async throws -> Envelope<[ListedMovementRow]> {
        let shop = try context.shop(parameter: "shop", for: try context.requireAny(of: [.stock]))
        let paging = try ListPaging(request)
        let product: String? = request.uri.queryParameters.get("product").map { String($0) }
        let movements = try await storage.movementHistory(shop: shop, product: product, before: try paging.afterId, limit: paging.limit)
        return .page(movements.map(ListedMovementRow.init), next: movements.count == paging.limit ? movements.last.map { String($0.id) } : nil)
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
                shop: shop,
                movements,
                idempotency: idempotency,
                origin: serverKey,
                at: clock.nowMillis()
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

/// A movement of a shop's history, in the fields of a recorded one (`id` the product) and with
/// `internalKeyId`, this database's number for it (what `ForceResync` takes as `InternalKeyIds`).
struct ListedMovementRow: JSONRepresentable, Sendable {
    let listed: ListedMovement

    var json: JSONValue {
        let movement = listed.movement
        return .object([
            "internalKeyId": .integer(listed.id), "movementId": .string("\(movement.origin.value):\(movement.sequence)"),
            "id": .string(movement.product),
            "qty": .integer(movement.qty), "reason": .string(movement.reason.rawValue),
            "reference": movement.reference.map(JSONValue.string) ?? .null,
            "created": .string(LocalTimestamp.iso8601(millis: movement.createdAt, offsetSeconds: 0)),
        ])
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
