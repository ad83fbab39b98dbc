import BackroomCore

/// Shops, products, their stock lines and the movements on hand is the sum of.
/// Every method is one transaction, and returns only once it is durable.
public protocol StockStore: Sendable {
    /// Adds the shops that do not exist yet; existing shops are left as they are.
    func addMissingShops(_ shops: [Shop]) async throws
    /// The shops among `ids` that exist, by id.
    func shops(_ ids: [Int]) async throws -> [Shop]
    /// Adds the stock lines whose product is not in that shop yet, each with a `count`
    /// movement from `origin`; existing lines are left as they are. Returns how many were added.
    @discardableResult
    func addMissingStock(_ levels: [StockLevel], origin: ServerKey) async throws -> Int
    /// Sets on hand (recorded as a `count` movement of the difference) and, where given,
    /// blocked, creating products in the shop if new; all or nothing. Throws
    /// `StorageError.unknownShop`.
    func setStock(shop: Int, _ settings: [StockSetting], origin: ServerKey, at now: Int64) async throws
    func stockLevel(shop: Int, product: String) async throws -> StockLevel?
    func shopExists(_ shop: Int) async throws -> Bool
    /// On hand, blocked and what unexpired reservations hold, for the products of `shop`
    /// that exist there; a product named twice is read once.
    func productStock(shop: Int, products: [String], at now: Int64) async throws -> [String: ProductStock]
    /// Records movements arriving at this server for one shop, all or nothing, each under the
    /// next sequence number of `origin`. With an idempotent request, a repeat gets the first
    /// answer, and the same key with another request changes nothing. Throws
    /// `StorageError.unknownShop`.
    func recordMovements(
        shop: Int,
        _ requests: [MovementRequest],
        idempotency: IdempotentRequest?,
        origin: ServerKey,
        at now: Int64
    ) async throws -> MovementOutcome
    /// The sum of the product's movements in the shop: what on hand must always equal.
    func movementTotal(shop: Int, product: String) async throws -> Int64
    /// The movements of `shop` (of `product` only, when given), newest first, before the one
    /// numbered `before` (nil: from the newest).
    func movementHistory(shop: Int, product: String?, before: Int64?, limit: Int) async throws -> [ListedMovement]
    /// Every stock line of `shops`.
    func stockLines(shops: [Int]) async throws -> [StockLevel]
}
