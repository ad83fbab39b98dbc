/// What a committed write changed that a store may be waiting for: the movements, reservations
/// or blocked stock of some shops, or something every store receives (users, preferences, the
/// registry, a resync).
public enum ShopChange: Sendable, Equatable {
    case shops(Set<Int>)
    case everything

    /// Whether a store of `shops` is concerned.
    public func concerns(_ shops: Set<Int>) -> Bool {
        switch self {
        case .everything: true
        case .shops(let changed): !changed.isDisjoint(with: shops)
        }
    }

    /// As a database notification carries it: a shop's id, or `*`.
    public init?(notification payload: String) {
        if payload == "*" {
            self = .everything
        } else if let shop = Int(payload) {
            self = .shops([shop])
        } else {
            return nil
        }
    }
}
