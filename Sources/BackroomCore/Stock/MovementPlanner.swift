/// Turns the movements of one request into the changes of on hand they make, in order: a count
/// records the difference from on hand as it stands after the movements before it.
public enum MovementPlanner {
    public struct Change: Sendable, Equatable {
        public let product: String
        public let qty: Int64
        public let reason: MovementReason
        public let reference: String?

        public init(product: String, qty: Int64, reason: MovementReason, reference: String?) {
            self.product = product
            self.qty = qty
            self.reason = reason
            self.reference = reference
        }
    }

    /// The changes, or the products (in request order, once each) that have no stock line in
    /// the shop, given the on hand of those that have.
    public static func plan(_ requests: [MovementRequest], onHand: [String: Int64]) -> Result<[Change], UnknownProducts> {
        var current = onHand
        var unknown: [String] = []
        var changes: [Change] = []
        for request in requests {
            guard let before = current[request.product] else {
                if !unknown.contains(request.product) { unknown.append(request.product) }
                continue
            }
            let qty =
                switch request.change {
                case .quantity(let qty): qty
                case .counted(let counted): counted - before
                }
            current[request.product] = before + qty
            changes.append(Change(product: request.product, qty: qty, reason: request.reason, reference: request.reference))
        }
        return unknown.isEmpty ? .success(changes) : .failure(UnknownProducts(products: unknown))
    }

    public struct UnknownProducts: Error, Sendable, Equatable {
        public let products: [String]

        public init(products: [String]) {
            self.products = products
        }
    }
}

/// A movement as this server recorded it: its globally unique id is origin and sequence.
public struct RecordedMovement: Codable, Sendable, Equatable {
    public let origin: String
    public let sequence: Int64
    public let product: String
    public let qty: Int64
    public let reason: String

    public init(origin: String, sequence: Int64, product: String, qty: Int64, reason: String) {
        self.origin = origin
        self.sequence = sequence
        self.product = product
        self.qty = qty
        self.reason = reason
    }

    public var movementID: String { "\(origin):\(sequence)" }
}
