/// The stock of one product in one shop.
public struct StockLevel: Sendable, Equatable {
    public let shop: Int
    public let product: String
    public let onHand: Int64
    public let blocked: Int64

    /// On hand may fall below zero (a till sells what the books lack) but never leaves these
    /// bounds, whatever arrives: a thousand times the largest single figure, far from where
    /// 64-bit sums of on hand, blocked and reserved could overflow. Both databases enforce it
    /// on every write (migration 24), so no accepted input can make a stock line unreadable.
    public static let onHandBounds: ClosedRange<Int64> = -1_000_000_000_000_000...1_000_000_000_000_000
    /// A movement changes on hand by at most the distance between its bounds (a count records
    /// the difference from on hand, which may be that far away).
    public static let movementBounds: ClosedRange<Int64> =
        (onHandBounds.lowerBound - onHandBounds.upperBound)...(onHandBounds.upperBound - onHandBounds.lowerBound)

    public init(shop: Int, product: String, onHand: Int64, blocked: Int64) {
        self.shop = shop
        self.product = product
        self.onHand = onHand
        self.blocked = blocked
    }
}

/// The rules for a product id, shared by every API that names a product.
public enum ProductID {
    /// In Unicode code points, as JSON Schema's `maxLength` and PostgreSQL count characters.
    public static let maximumLength = 255

    public static func isValid(_ id: String) -> Bool {
        !id.isEmpty && id.unicodeScalars.count <= maximumLength
    }
}
