import BackroomCore
import BackroomStorage
import Hummingbird

/// Central's reservations for operators, in Backroom's own envelope: `GET
/// /api/v1/shops/{id}/reservations?state=` (active, expired, committed, cancelled), newest first
/// and paged; `GET /api/v1/reservations/{id}`, committed and cancelled ones too; `DELETE
/// /api/v1/reservations/{id}` cancels one. Right `reservation` on the shop, or `admin`.
struct ReservationAdminController {
    let storage: any ReservationStore
    let reservations: ReservationService
    let auditor: Auditor
    let clock: BackroomClock

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("shops/:shop/reservations", use: list)
        group.get("reservations/:id", use: read)
        group.delete("reservations/:id", use: cancel)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Envelope<[ReservationWire]> {
        let shop = try context.shop(parameter: "shop", for: try context.requireAny(of: [.reservation]))
        let paging = try ListPaging(request)
        var state: ReservationListState?
        if let text = request.uri.queryParameters.get("state") {
            guard let asked = ReservationListState(rawValue: String(text)) else {
                throw EnvelopeError.field("state", "state must be one of \(ReservationListState.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            state = asked
        }
        let now = clock.nowMillis()
        let found = try await storage.reservations(shop: shop, state: state, at: now, before: try paging.afterId, limit: paging.limit)
        return .page(
            found.map { ReservationWire(reservation: $0, now: now) },
            next: found.count == paging.limit ? found.last.map { String($0.id) } : nil
        )
    }

    @Sendable func read(_ request: Request, context: AppRequestContext) async throws -> Envelope<ReservationWire> {
        .success(ReservationWire(reservation: try await reservation(context), now: clock.nowMillis()))
    }

    @Sendable func cancel(_ request: Request, context: AppRequestContext) async throws -> Response {
        let reservation = try await reservation(context)
        do {
            try await reservations.cancel(id: reservation.id)
        } catch let failure as ReservationFailure {
            throw ReservationProblems.error(failure, during: .cancel)
        }
        try await auditor.record(
            context,
            .api,
            action: "reservation.cancel",
            target: "reservation \(reservation.id)",
            detail: .object(["shop": .integer(Int64(reservation.shop))])
        )
        return Response(status: .noContent)
    }

    /// The reservation the path names, if the caller may act on its shop; 404 otherwise.
    private func reservation(_ context: AppRequestContext) async throws -> Reservation {
        let principal = try context.requireAny(of: [.reservation])
        let text = context.parameters.get("id") ?? ""
        guard let id = Int64(text), let reservation = try await storage.reservation(id: id) else {
            throw EnvelopeError.coded(.notFound, code: "404", "There is no reservation \(text)")
        }
        try context.requireShop(reservation.shop, for: principal)
        return reservation
    }
}

/// A reservation as operators see it: its state in words (`expired` included), when it ends,
/// and its items.
struct ReservationWire: JSONRepresentable, Sendable {
    let reservation: Reservation
    let now: Int64

    var json: JSONValue {
        .object([
            "id": .integer(reservation.id),
            "shop": .integer(Int64(reservation.shop)),
            "type": .string(reservation.type.rawValue),
            "state": .string(ReservationListState(reservation, at: now).rawValue),
            "lifetime": .integer(reservation.lifetime),
            "validUntil": .string(LocalTimestamp.iso8601(millis: reservation.validUntil, offsetSeconds: 0)),
            "items": .array(reservation.lines.map { .object(["id": .string($0.product), "qty": .integer($0.qty)]) }),
        ])
    }
}
