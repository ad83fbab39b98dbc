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
        self.validUntil = LocalTimestamp.format(millis: validUntil, in: timeZone)
        resvId = id
        items = lines.map { Item(id: $0.product, qty: $0.qty, state: state.rawValue) }
    }

    init(_ snapshot: ReservationSnapshot, timeZone: TimeZone) {
        self.init(
            id: snapshot.id,
            validUntil: snapshot.validUntil,
            lines: snapshot.lines,
            state: .reserved,
            timeZone: timeZone
        )
    }

    init(_ reservation: Reservation, at now: Int64, timeZone: TimeZone) {
        self.init(
            id: reservation.id,
            validUntil: reservation.validUntil,
            lines: reservation.lines,
            state: reservation.itemState(at: now),
            timeZone: timeZone
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
    let modificationDate: String
    let state: ProductStock.Availability

    /// `ownReservation` is what one reservation holds of this product, counted as available to it.
    init(id: String, stock: ProductStock, ownReservation: Int64 = 0, timeZone: TimeZone) {
        var figures = stock
        figures.reserved -= ownReservation
        self.id = id
        self.stock = figures.onHand
        blocked = figures.blocked
        reserved = figures.reserved
        atp = figures.available
        modificationDate = LocalTimestamp.iso8601(millis: figures.modifiedAt, in: timeZone, fraction: true)
        state = figures.availability
    }

    /// The rows of `ids` in the order asked, and a 21002 exception for each that `stock` lacks:
    /// unknown products are left out rather than failing the whole call (the original's ATP 2.1).
    static func rows(
        _ ids: [String],
        shop: Int,
        stock: [String: ProductStock],
        own: [String: Int64] = [:],
        timeZone: TimeZone
    ) -> (rows: [AvailabilityRow], unknown: [CodedProblem]) {
        var rows: [AvailabilityRow] = []
        var unknown: [CodedProblem] = []
        for id in ids {
            if let figures = stock[id] {
                rows.append(AvailabilityRow(id: id, stock: figures, ownReservation: own[id] ?? 0, timeZone: timeZone))
            } else {
                unknown.append(CodedProblem(code: "21002", message: "Product \(id) is unknown in shop \(shop)"))
            }
        }
        return (rows, unknown)
    }

    var json: JSONValue {
        .object([
            "id": .string(id), "stock": .integer(stock), "blocked": .integer(blocked), "reserved": .integer(reserved),
            "atp": .integer(atp), "modificationDate": .string(modificationDate), "state": .string(state.rawValue),
        ])
    }
}
