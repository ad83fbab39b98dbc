/// What a committed write changed that a store may be waiting for: the movements, reservations
/// or blocked stock of some shops, or something every store receives (users, preferences, the
/// registry, a resync).
public enum ShopChange: Sendable, Equatable {
    case shops(Set<Int>)
    /// Movements of one shop, all of one origin: no news to that origin's own store, whose pull
    /// leaves them out (a busy store's every push woke its own parked pull for nothing).
    case movements(shop: Int, origin: ServerKey)
    case everything

    /// Whether a store of `shops` is concerned; `apartFrom`: the store, whose own movements do not.
    public func concerns(_ shops: Set<Int>, apartFrom store: ServerKey? = nil) -> Bool {
        switch self {
        case .everything: true
        case .shops(let changed): !changed.isDisjoint(with: shops)
        case .movements(let shop, let origin): shops.contains(shop) && origin != store
        }
    }

    /// As a database notification carries it: a shop's id, a shop's id and an origin, or `*`.
    public init?(notification payload: String) {
        let parts = payload.split(separator: " ", omittingEmptySubsequences: false)
        if payload == "*" {
            self = .everything
        } else if parts.count == 1, let shop = Int(parts[0]) {
            self = .shops([shop])
        } else if parts.count == 2, let shop = Int(parts[0]), let origin = try? ServerKey(String(parts[1])) {
            self = .movements(shop: shop, origin: origin)
        } else {
            return nil
        }
    }
}
