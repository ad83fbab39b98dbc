/// A stock figure to set; `blocked` nil leaves the blocked quantity as it is.
public struct StockSetting: Sendable, Equatable {
    public static let maximumQuantity: Int64 = 1_000_000_000_000
    public static let maximumEntries = 1000

    public let product: String
    public let onHand: Int64
    public let blocked: Int64?

    public init(product: String, onHand: Int64, blocked: Int64?) {
        self.product = product
        self.onHand = onHand
        self.blocked = blocked
    }

    /// Reads `[{"id": "First-Test", "stock": 120, "blocked": 0}, …]`, naming every bad field.
    public static func parseList(_ body: JSONValue) throws(InvalidInput) -> [StockSetting] {
        guard case .array(let entries) = body, (1...maximumEntries).contains(entries.count) else {
            throw InvalidInput(problems: [InputProblem(field: "body", message: "The body must be a list of 1 to \(maximumEntries) stock entries")])
        }
        var problems: [InputProblem] = []
        var settings: [StockSetting] = []
        for (index, entry) in entries.enumerated() {
            let prefix = "[\(index)]"
            guard case .object = entry else {
                problems.append(InputProblem(field: prefix, message: "\(prefix) must be an object with id, stock and blocked"))
                continue
            }
            let id = InputReading.productID(entry["id"], field: "\(prefix).id", problems: &problems)
            let onHand = InputReading.wholeNumber(entry["stock"] ?? .null, field: "\(prefix).stock", in: 0...maximumQuantity, problems: &problems)
            var blocked: Int64?
            if let value = entry["blocked"], value != .null {
                blocked = InputReading.wholeNumber(value, field: "\(prefix).blocked", in: 0...maximumQuantity, problems: &problems)
            }
            if let id, let onHand { settings.append(StockSetting(product: id, onHand: onHand, blocked: blocked)) }
        }
        guard problems.isEmpty else { throw InvalidInput(problems: problems) }
        return settings
    }
}
