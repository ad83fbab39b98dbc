/// What an operator's stock setting or the ERP's file does to on hand: a count sets on hand to
/// what was counted, recorded as the difference from on hand as it stands after the counts
/// before it, and nothing when they agree; goods received add to it, after the counts.
/// (A till's count is a movement of its own, recorded even when it agrees: `MovementPlanner`.)
public enum StockCorrection {
    public struct Change: Sendable, Equatable {
        public let key: ProductKey
        public let qty: Int64
        public let reason: MovementReason

        public init(key: ProductKey, qty: Int64, reason: MovementReason) {
            self.key = key
            self.qty = qty
            self.reason = reason
        }
    }

    /// `onHand`: what the lines counted hold now; a line not in it is new, and holds nothing.
    public static func plan(
        counts: [(key: ProductKey, counted: Int64)],
        receipts: [(key: ProductKey, qty: Int64)] = [],
        onHand: [ProductKey: Int64]
    ) -> [Change] {
        var current = onHand
        var changes: [Change] = []
        for count in counts {
            let before = current[count.key] ?? 0
            if count.counted != before { changes.append(Change(key: count.key, qty: count.counted - before, reason: .count)) }
            current[count.key] = count.counted
        }
        return changes + receipts.map { Change(key: $0.key, qty: $0.qty, reason: .receipt) }
    }
}

extension ErpImport {
    /// The movements the file makes, given what its counted lines hold now.
    public func movements(onHand: [ProductKey: Int64]) -> [StockCorrection.Change] {
        StockCorrection.plan(
            counts: counts.map { (ProductKey(shop: $0.shop, product: $0.product), $0.quantity) },
            receipts: receipts.map { (ProductKey(shop: $0.shop, product: $0.product), $0.quantity) },
            onHand: onHand
        )
    }

    /// The stock lines the file counts, whose on hand its movements depend on.
    public var countedKeys: [ProductKey] {
        Array(Set(counts.map { ProductKey(shop: $0.shop, product: $0.product) })).sorted()
    }
}
