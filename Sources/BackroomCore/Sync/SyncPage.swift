/// One pull's worth of movements for a store, and the cursor past everything looked at for it:
/// movements of other shops are stepped over once, not scanned again on every pull.
public struct SyncPage: Sendable, Equatable {
    public private(set) var movements: [ReplicatedMovement] = []
    public private(set) var cursor: SyncCursor
    /// How many more movements the page may look at.
    public private(set) var budget: Int
    /// nil for every shop.
    private let shops: Set<Int>?

    /// An empty page for `shops` (nil: all) from `cursor` that looks at no more than `limit`
    /// movements.
    public init(shops: [Int]?, after cursor: SyncCursor, limit: Int) {
        self.shops = shops.map(Set.init)
        self.cursor = cursor
        budget = limit
    }

    /// Whether the page stopped at its limit, so that more may follow at once.
    public var more: Bool { budget <= 0 }

    /// Takes in what was scanned of `origin` past the cursor, in its order: the movements of the
    /// page's shops are kept, and the cursor moves past all of them.
    public mutating func add(scanned: [ReplicatedMovement], of origin: ServerKey) {
        budget -= scanned.count
        movements += scanned.filter { shops?.contains($0.shop) ?? true }
        if let last = scanned.last { cursor = cursor.advanced(to: last.sequence, of: origin) }
    }
}
