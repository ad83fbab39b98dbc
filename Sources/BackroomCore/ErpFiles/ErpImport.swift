/// What one file from the ERP brings, applied whole or not at all.
public struct ErpImport: Sendable, Equatable {
    public struct Product: Sendable, Equatable {
        public let id: String
        public let name: String

        public init(id: String, name: String) {
            self.id = id
            self.name = name
        }
    }

    /// A stock count (on hand becomes `quantity`) or goods received (on hand grows by it).
    public struct StockLine: Sendable, Equatable {
        public let shop: Int
        public let product: String
        public let quantity: Int64
        /// The file's line it came from, to name in a refusal.
        public let line: Int

        public init(shop: Int, product: String, quantity: Int64, line: Int) {
            self.shop = shop
            self.product = product
            self.quantity = quantity
            self.line = line
        }
    }

    public var products: [Product] = []
    public var counts: [StockLine] = []
    public var receipts: [StockLine] = []

    public init(products: [Product] = [], counts: [StockLine] = [], receipts: [StockLine] = []) {
        self.products = products
        self.counts = counts
        self.receipts = receipts
    }

    public var isEmpty: Bool { products.isEmpty && counts.isEmpty && receipts.isEmpty }

    /// How many changes the file makes, for the engine's round summary.
    public var changes: Int { products.count + counts.count + receipts.count }

    /// Every shop the file names, each with the first line that names it.
    public var shops: [Int: Int] {
        var shops: [Int: Int] = [:]
        for line in counts + receipts where shops[line.shop] == nil { shops[line.shop] = line.line }
        return shops
    }
}

/// Why a file from the ERP is refused: the line (from 1) that is wrong, when there is one.
public struct ErpFileProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public let line: Int?
    public let reason: String

    public init(line: Int?, _ reason: String) {
        self.line = line
        self.reason = reason
    }

    public var description: String { line.map { "line \($0): \(reason)" } ?? reason }
}
