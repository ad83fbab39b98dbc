/// The stock of one product in one shop.
public struct StockLevel: Sendable, Equatable {
    public let shop: Int
    public let product: String
    public let onHand: Int64
    public let blocked: Int64

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
