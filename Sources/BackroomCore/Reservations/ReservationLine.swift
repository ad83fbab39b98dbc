/// One product of a reservation and its quantity.
public struct ReservationLine: Sendable, Equatable, Codable {
    public let product: String
    public let qty: Int64

    public init(product: String, qty: Int64) {
        self.product = product
        self.qty = qty
    }

    /// Adds up entries naming the same product, keeping the order of first appearance, so that
    /// a cart with an article twice is checked as one line.
    public static func merged(_ lines: [ReservationLine]) -> [ReservationLine] {
        var order: [String] = []
        var totals: [String: Int64] = [:]
        for line in lines {
            if totals[line.product] == nil { order.append(line.product) }
            totals[line.product, default: 0] += line.qty
        }
        return order.map { ReservationLine(product: $0, qty: totals[$0]!) }
    }
}
