/// Some shops' stock lines as central has them, and how far each origin's movements are in
/// them: what a store loads on first contact (and when it starts over), after which it pulls
/// from `heads` on. On hand arrives as it stands, not as the history it is the sum of, which
/// retention deletes in time.
public struct StockSnapshot: Sendable, Equatable {
    public let stock: [StockLevel]
    public let heads: SyncCursor

    public init(stock: [StockLevel], heads: SyncCursor) {
        self.stock = stock
        self.heads = heads
    }
}
