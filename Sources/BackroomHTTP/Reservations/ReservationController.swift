import BackroomCore
import BackroomStorage
import Foundation
import HTTPTypes
import Hummingbird

/// `servlets/services/reservation`: create, read, change, cancel and commit stock reservations,
/// wire-compatible with the order management system's service. Every change goes through one
/// group-commit queue, so concurrent requests share durable commits.
struct ReservationController {
    let storage: any BackroomStorage
    let writer: GroupCommit<ReservationCommand, ReservationResult>
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
        switch try await submit(.create(shop: shop, request: reservationRequest, idempotency: claim), during: .create) {
        case .created(let snapshot), .replayed(let snapshot):
            var response = Envelope.success(ReservationData(snapshot, timeZone: timeZone), status: .created).response()
            response.headers[.location] = "/servlets/services/reservation/\(snapshot.id)"
            return response
        default:
            throw HTTPError(.internalServerError)
        }
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
        guard case .changed(let changed, let wasExpired) = try await submit(.change(id: reservation.id, change), during: .change) else {
            throw HTTPError(.internalServerError)
        }
        let notice = wasExpired ? [CodedProblem(code: "21004", message: ReservationProblems.expiredMessage(changed.id))] : []
        return .success(ReservationData(changed, at: clock.nowMillis(), timeZone: timeZone), status: .created, exceptions: notice)
    }

    @Sendable func cancel(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.requireAny(of: [.reservation])
        let reservation = try await reservationInScope(context, principal, for: .cancel)
        guard case .cancelled = try await submit(.cancel(id: reservation.id), during: .cancel) else {
            throw HTTPError(.internalServerError)
        }
        return Response(status: .noContent)
    }

    /// 204 like cancel: the reservation is consumed, there is nothing left to show.
    @Sendable func commit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.requireAny(of: [.reservation])
        let reservation = try await reservationInScope(context, principal, for: .commit)
        guard case .committed = try await submit(.commit(id: reservation.id), during: .commit) else {
            throw HTTPError(.internalServerError)
        }
        return Response(status: .noContent)
    }

    /// Queues `command` for the next batch; a refusal comes back as the coded exception of
    /// `operation`, anything else as the result for the caller to answer.
    private func submit(_ command: ReservationCommand, during operation: ReservationProblems.Operation) async throws -> ReservationResult {
        let result = try await writer.submit(command)
        if case .failed(let failure) = result { throw ReservationProblems.error(failure, during: operation) }
        return result
    }

    /// The reservation a `{resvId}` route names, if the caller may act on its shop. Its shop
    /// never changes, so reading it before the change is queued is safe.
    private func reservationInScope(
        _ context: AppRequestContext, _ principal: Principal, for operation: ReservationProblems.Operation
    ) async throws -> Reservation {
        let idText = context.parameters.get("id") ?? ""
        guard let id = Int64(idText), id > 0, let reservation = try await storage.reservation(id: id) else {
            throw ReservationProblems.noSuchReservation(idText, during: operation)
        }
        try context.requireShop(reservation.shop, for: principal)
        return reservation
    }
}
