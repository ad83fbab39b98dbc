import BackroomCore
import BackroomStorage
import Foundation
import HTTPTypes
import Hummingbird

/// `servlets/services/reservation`: create, read, change, cancel and commit stock reservations,
/// wire-compatible with the order management system's service; changes go through the
/// reservation service's group-commit queue.
struct ReservationController {
    let storage: any ReservationStore
    let reservations: ReservationService
    let timeZone: TimeZone
    let clock: BackroomClock

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("reservation/:id", use: create)
        group.get("reservation/:id", use: read)
        group.put("reservation/:id", use: change)
        group.delete("reservation/:id", use: cancel)
        group.post("reservation/:id/commit", use: commit)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.requireAny(of: [.reservation])
        let shop = try context.shop(parameter: "id", for: principal)
        let claim = try request.idempotencyClaim(for: principal)
        let reservationRequest = try await JSONRequestBody.read(request, context: context, as: ReservationRequest.parse)
        let snapshot = try await answering(.create) { try await reservations.create(shop: shop, reservationRequest, idempotency: claim) }
        var response = Envelope.success(ReservationData(snapshot, timeZone: timeZone), status: .created).response()
        response.headers[.location] = "/servlets/services/reservation/\(snapshot.id)"
        return response
    }

    @Sendable func read(_ request: Request, context: AppRequestContext) async throws -> Envelope<ReservationData> {
        let principal = try context.requireAny(of: [.reservation])
        let reservation = try await reservationInScope(context, principal, for: .read)
        switch reservation.state {
        case .active: break
        case .cancelled: throw ReservationProblems.error(.noSuchReservation(reservation.id), during: .read)
        case .committed: throw ReservationProblems.error(.committed(reservation.id), during: .read)
        }
        return .success(ReservationData(reservation, at: clock.nowMillis(), timeZone: timeZone))
    }

    @Sendable func change(_ request: Request, context: AppRequestContext) async throws -> Envelope<ReservationData> {
        let principal = try context.requireAny(of: [.reservation])
        let reservation = try await reservationInScope(context, principal, for: .change)
        let change = try await JSONRequestBody.read(request, context: context, as: ReservationChange.parse)
        let (changed, wasExpired) = try await answering(.change) { try await reservations.change(id: reservation.id, change) }
        let notice = wasExpired ? [CodedProblem(code: "21004", message: ReservationProblems.expiredMessage(changed.id))] : []
        return .success(ReservationData(changed, at: clock.nowMillis(), timeZone: timeZone), status: .created, exceptions: notice)
    }

    @Sendable func cancel(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.requireAny(of: [.reservation])
        let reservation = try await reservationInScope(context, principal, for: .cancel)
        try await answering(.cancel) { try await reservations.cancel(id: reservation.id) }
        return Response(status: .noContent)
    }

    /// 204 like cancel: the reservation is consumed, there is nothing left to show.
    @Sendable func commit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.requireAny(of: [.reservation])
        let reservation = try await reservationInScope(context, principal, for: .commit)
        try await answering(.commit) { try await reservations.commit(id: reservation.id) }
        return Response(status: .noContent)
    }

    /// `body`'s answer; a refusal as the coded exception of `operation`.
    private func answering<T>(_ operation: ReservationProblems.Operation, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let failure as ReservationFailure {
            throw ReservationProblems.error(failure, during: operation)
        }
    }

    /// The reservation a `{resvId}` route names, if the caller may act on its shop. Its shop
    /// never changes, so reading it before the change is queued is safe.
    private func reservationInScope(
        _ context: AppRequestContext,
        _ principal: Principal,
        for operation: ReservationProblems.Operation
    ) async throws -> Reservation {
        let idText = context.parameters.get("id") ?? ""
        guard let id = Int64(idText), id > 0, let reservation = try await storage.reservation(id: id) else {
            throw ReservationProblems.noSuchReservation(idText, during: operation)
        }
        try context.requireShop(reservation.shop, for: principal)
        return reservation
    }
}
