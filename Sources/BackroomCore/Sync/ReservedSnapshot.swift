/// What central holds reserved for a store's shops, as a pull carries it: reservations live on
/// central only, and a store shows the last figures it was given in its stock look-up.
public enum ReservedSnapshot {
    public static func json(_ reserved: [ProductKey: Int64]) -> JSONValue {
        .array(reserved.sorted { $0.key < $1.key }.map { key, qty in
            .object(["shop": .integer(Int64(key.shop)), "id": .string(key.product), "qty": .integer(qty)])
        })
    }

    /// The figures, or nil when the value is not such a list.
    public static func parse(_ value: JSONValue) -> [ProductKey: Int64]? {
        guard case .array(let entries) = value else { return nil }
        var reserved: [ProductKey: Int64] = [:]
        for entry in entries {
            guard case .integer(let shop) = entry["shop"], case .string(let product) = entry["id"], case .integer(let qty) = entry["qty"]
            else { return nil }
            reserved[ProductKey(shop: Int(shop), product: product), default: 0] += qty
        }
        return reserved
    }
}
