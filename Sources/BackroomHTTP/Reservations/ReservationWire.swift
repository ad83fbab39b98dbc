import BackroomCore
import Foundation

/// A reservation as the reservation service writes it in `data`.
struct ReservationData: JSONRepresentable, Sendable {
    struct Item: JSONRepresentable, Sendable {
        let id: String
        let qty: Int64
        let state: String

        var json: JSONValue { .object(["id": .string(id), "qty": .integer(qty), "state": .string(state)]) }
    }

    let validUntil: String
    let resvId: Int64
    let items: [Item]

    init(id: Int64, validUntil: Int64, lines: [ReservationLine], state: Reservation.ItemState, timeZone: TimeZone) {
        self.validUntil = WireTime.format(validUntil, in: timeZone)
        resvId = id
        items = lines.map { Item(id: $0.product, qty: $0.qty, state: state.rawValue) }
    }

    init(_ snapshot: ReservationSnapshot, timeZone: TimeZone) {
        self.init(
            id: snapshot.id, validUntil: snapshot.validUntil,
            lines: snapshot.lines, state: .reserved, timeZone: timeZone
        )
    }

    init(_ reservation: Reservation, at now: Int64, timeZone: TimeZone) {
        self.init(
            id: reservation.id, validUntil: reservation.validUntil, lines: reservation.lines,
            state: reservation.itemState(at: now), timeZone: timeZone
        )
    }

    var json: JSONValue { .object(["validUntil": .string(validUntil), "resvId": .integer(resvId), "items": items.json]) }
}

/// One product's availability, as ATP and the stock look-up write it.
struct AvailabilityRow: JSONRepresentable, Sendable {
    let id: String
    let stock: Int64
    let blocked: Int64
    let reserved: Int64
    let atp: Int64
    let state: String

    /// `ownReservation` is what one reservation holds of this product, counted as available to it.
    init(id: String, stock: ProductStock?, ownReservation: Int64 = 0) {
        self.id = id
        guard let stock else {
            self.stock = 0
            blocked = 0
            reserved = 0
            atp = 0
            state = "unknown"
            return
        }
        self.stock = stock.onHand
        blocked = stock.blocked
        reserved = stock.reserved - ownReservation
        atp = ProductStock(onHand: stock.onHand, blocked: stock.blocked, reserved: reserved).available
        state = atp > 0 ? "available" : "sold out"
    }

    var json: JSONValue {
        .object([
            "id": .string(id), "stock": .integer(stock), "blocked": .integer(blocked), "reserved": .integer(reserved),
            "atp": .integer(atp), "state": .string(state),
        ])
    }
}

enum WireTime {
    static func format(_ millis: Int64, in timeZone: TimeZone) -> String {
        let offset = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(millis) / 1000))
        return LocalTimestamp.format(millis: millis, offsetSeconds: offset)
    }
}
