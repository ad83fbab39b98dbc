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

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("reservation/:id", use: create)
        group.get("reservation/:id", use: read)
        group.put("reservation/:id", use: change)
        group.delete("reservation/:id", use: cancel)
        group.post("reservation/:id/commit", use: commit)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.requireAny(of: [.reservation])
        let shopText = context.parameters.get("id") ?? ""
        guard let shop = Int(shopText) else { throw ReservationProblems.noSuchShop(shopText) }
        try Self.requireShop(shop, principal)
        let claim = try Self.idempotencyClaim(request, principal)
        let reservationRequest: ReservationRequest
        do {
            reservationRequest = try ReservationRequest.parse(try await JSONRequestBody.read(request, context: context))
        } catch let invalid as InvalidInput {
            throw EnvelopeError.fields(invalid.problems)
        }
        switch try await writer.submit(.create(shop: shop, request: reservationRequest, idempotency: claim)) {
        case .created(let snapshot), .replayed(let snapshot):
            var response = try Envelope.success(ReservationData(snapshot, timeZone: timeZone), status: .created)
                .response(from: request, context: context)
            response.headers[.location] = "/servlets/services/reservation/\(snapshot.id)"
            return response
        case .failed(let failure):
            throw ReservationProblems.error(failure, during: .change)
        case .changed, .cancelled, .committed:
            throw HTTPError(.internalServerError)
        }
    }

    @Sendable func read(_ request: Request, context: AppRequestContext) async throws -> Envelope<ReservationData> {
        let principal = try context.requireAny(of: [.reservation])
        let reservation = try await reservationInScope(context, principal, for: .read)
        guard reservation.state != .cancelled else {
            throw ReservationProblems.error(.noSuchReservation(reservation.id), during: .read)
        }
        return .success(ReservationData(reservation, at: Clock.nowMillis(), timeZone: timeZone))
    }

    @Sendable func change(_ request: Request, context: AppRequestContext) async throws -> Envelope<ReservationData> {
        let principal = try context.requireAny(of: [.reservation])
        let reservation = try await reservationInScope(context, principal, for: .change)
        let change: ReservationChange
        do {
            change = try ReservationChange.parse(try await JSONRequestBody.read(request, context: context))
        } catch let invalid as InvalidInput {
            throw EnvelopeError.fields(invalid.problems)
        }
        switch try await writer.submit(.change(id: reservation.id, change)) {
        case .changed(let changed, let wasExpired):
            let notice = wasExpired ? [CodedProblem(code: "21004", message: ReservationProblems.expiredMessage(changed.id))] : []
            return .success(ReservationData(changed, at: Clock.nowMillis(), timeZone: timeZone), status: .created, exceptions: notice)
        case .failed(let failure):
            throw ReservationProblems.error(failure, during: .change)
        case .created, .replayed, .cancelled, .committed:
            throw HTTPError(.internalServerError)
        }
    }

    @Sendable func cancel(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.requireAny(of: [.reservation])
        let reservation = try await reservationInScope(context, principal, for: .cancel)
        switch try await writer.submit(.cancel(id: reservation.id)) {
        case .cancelled:
            return Response(status: .noContent)
        case .failed(let failure):
            throw ReservationProblems.error(failure, during: .cancel)
        case .created, .replayed, .changed, .committed:
            throw HTTPError(.internalServerError)
        }
    }

    @Sendable func commit(_ request: Request, context: AppRequestContext) async throws -> Envelope<ReservationData> {
        let principal = try context.requireAny(of: [.reservation])
        let reservation = try await reservationInScope(context, principal, for: .commit)
        switch try await writer.submit(.commit(id: reservation.id)) {
        case .committed(let committed):
            return .success(ReservationData(committed, at: Clock.nowMillis(), timeZone: timeZone))
        case .failed(let failure):
            throw ReservationProblems.error(failure, during: .commit)
        case .created, .replayed, .changed, .cancelled:
            throw HTTPError(.internalServerError)
        }
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
        try Self.requireShop(reservation.shop, principal)
        return reservation
    }

    static func requireShop(_ shop: Int, _ principal: Principal) throws {
        guard principal.mayActOn(shop: shop) else {
            throw HTTPError(.forbidden, message: "User \(principal.name) may not act on shop \(shop)")
        }
    }

    private static func idempotencyClaim(_ request: Request, _ principal: Principal) throws -> IdempotencyClaim? {
        guard let key = request.headers[.idempotencyKey] else { return nil }
        guard !key.isEmpty, key.count <= IdempotencyClaim.maximumLength else {
            throw EnvelopeError.field(
                "Idempotency-Key", "The Idempotency-Key header must be 1 to \(IdempotencyClaim.maximumLength) characters"
            )
        }
        return IdempotencyClaim(userID: principal.userID, key: key)
    }
}

extension HTTPField.Name {
    static let idempotencyKey = Self("Idempotency-Key")!
}
