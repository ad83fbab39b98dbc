import BackroomCore
import Hummingbird

/// The coded exceptions of the reservation service.
enum ReservationProblems {
    /// Which request a missing reservation was asked for: the status differs.
    enum Operation {
        case create, read, change, cancel, commit

        var reads: Bool { self == .read || self == .commit }
    }

    static func error(_ failure: ReservationFailure, during operation: Operation) -> EnvelopeError {
        switch failure {
        case .notEnoughStock(let shortages):
            let detail = shortages.map { "\($0.product): requested \($0.requested), available \($0.available)" }.joined(separator: "; ")
            return .coded(.badRequest, code: "21001", "Not enough stock. \(detail)")
        case .unknownProducts(let products):
            return .coded(.badRequest, code: "21002", "Unknown product in this shop: \(products.joined(separator: ", "))")
        case .noSuchReservation(let id):
            return noSuchReservation(String(id), during: operation)
        case .expired(let id):
            return .coded(.badRequest, code: "21004", expiredMessage(id))
        case .committed(let id):
            return committed(String(id), during: operation)
        case .noSuchShop(let shop):
            return noSuchShop(shop)
        case .idempotencyKeyReused:
            return .coded(.conflict, code: "21007", "This Idempotency-Key was used before with a different request")
        }
    }

    /// 404 where the request reads (GET, commit), 400 where it would change (PUT, DELETE): the
    /// original's statuses.
    static func noSuchReservation(_ text: String, during operation: Operation) -> EnvelopeError {
        .coded(operation.reads ? .notFound : .badRequest, code: "21003", "There is no reservation with id \(text)")
    }

    static func committed(_ text: String, during operation: Operation) -> EnvelopeError {
        .coded(operation.reads ? .notFound : .badRequest, code: "21005", "The reservation with id \(text) was committed")
    }

    static func noSuchShop(_ shop: Int) -> EnvelopeError {
        noSuchShop(String(shop))
    }

    static func noSuchShop(_ text: String) -> EnvelopeError {
        .coded(.notFound, code: "21006", "There is no shop \(text)")
    }

    static func expiredMessage(_ id: Int64) -> String {
        "The reservation with id \(id) has already expired"
    }
}
