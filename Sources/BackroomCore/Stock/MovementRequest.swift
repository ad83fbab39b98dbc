/// One stock movement as a till or an operator sends it to `POST /api/v1/shops/{id}/movements`.
public struct MovementRequest: Sendable, Equatable {
    public static let maximumEntries = 1000
    public static let maximumReferenceLength = 200

    public enum Change: Sendable, Equatable {
        /// A signed change of on hand.
        case quantity(Int64)
        /// A stock count: the absolute figure, recorded as the difference from on hand.
        case counted(Int64)
    }

    public let product: String
    public let reason: MovementReason
    public let change: Change
    public let reference: String?

    public init(product: String, reason: MovementReason, change: Change, reference: String?) {
        self.product = product
        self.reason = reason
        self.change = change
        self.reference = reference
    }

    /// Reads `{"movements": [{"id", "qty" | "counted", "reason", "reference"}, …]}`, naming every
    /// bad field. The sign must fit the reason: a sale takes stock away, a return or a receipt
    /// brings it, an adjustment does either.
    public static func parseList(_ body: JSONValue) throws(InvalidInput) -> [MovementRequest] {
        guard case .array(let entries) = body["movements"], (1...maximumEntries).contains(entries.count) else {
            throw InvalidInput(problems: [
                InputProblem(field: "movements", message: "movements must be a list of 1 to \(maximumEntries) movements")
            ])
        }
        var problems: [InputProblem] = []
        var movements: [MovementRequest] = []
        for (index, entry) in entries.enumerated() {
            let prefix = "movements[\(index)]"
            guard case .object = entry else {
                problems.append(InputProblem(field: prefix, message: "\(prefix) must be an object with id, reason and qty or counted"))
                continue
            }
            let product = InputReading.productID(entry["id"], field: "\(prefix).id", problems: &problems)
            let reason = Self.reason(entry["reason"], field: "\(prefix).reason", problems: &problems)
            let reference = Self.reference(entry["reference"], field: "\(prefix).reference", problems: &problems)
            guard let reason else { continue }
            let change = Self.change(entry, for: reason, prefix: prefix, problems: &problems)
            if let product, let change {
                movements.append(MovementRequest(product: product, reason: reason, change: change, reference: reference))
            }
        }
        guard problems.isEmpty else { throw InvalidInput(problems: problems) }
        return movements
    }

    /// The request's meaning, independent of spelling: what an idempotency key is bound to.
    public static func canonicalForm(_ movements: [MovementRequest]) -> String {
        movements.map { movement in
            let change =
                switch movement.change {
                case .quantity(let qty): "q\(qty)"
                case .counted(let counted): "c\(counted)"
                }
            let reference = movement.reference.map { "\($0.utf8.count):\($0)" } ?? "-"
            return "\(movement.product.utf8.count):\(movement.product)|\(movement.reason.rawValue)|\(change)|\(reference)"
        }.joined(separator: ",")
    }

    private static func reason(_ value: JSONValue?, field: String, problems: inout [InputProblem]) -> MovementReason? {
        guard case .string(let text) = value, let reason = MovementReason(rawValue: text) else {
            let names = MovementReason.allCases.map(\.rawValue).joined(separator: ", ")
            problems.append(InputProblem(field: field, message: "\(field) must be one of \(names)"))
            return nil
        }
        return reason
    }

    private static func reference(_ value: JSONValue?, field: String, problems: inout [InputProblem]) -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let text)? where text.count <= maximumReferenceLength: return text
        default:
            problems.append(InputProblem(field: field, message: "\(field) must be a string of at most \(maximumReferenceLength) characters"))
            return nil
        }
    }

    private static func change(_ entry: JSONValue, for reason: MovementReason, prefix: String, problems: inout [InputProblem]) -> Change? {
        let limit = StockSetting.maximumQuantity
        if reason == .count {
            guard entry["qty"] == nil else {
                problems.append(InputProblem(field: "\(prefix).qty", message: "a count gives counted, the figure counted, not qty"))
                return nil
            }
            return InputReading.wholeNumber(entry["counted"] ?? .null, field: "\(prefix).counted", in: 0...limit, problems: &problems)
                .map(Change.counted)
        }
        let field = "\(prefix).qty"
        guard let qty = InputReading.signedWholeNumber(entry["qty"] ?? .null, field: field, in: -limit...limit, problems: &problems) else {
            return nil
        }
        let fits =
            switch reason {
            case .sale: qty < 0
            case .return, .receipt: qty > 0
            case .adjustment, .count: qty != 0
            }
        guard fits else {
            let rule =
                switch reason {
                case .sale: "negative (a sale takes stock away)"
                case .return, .receipt: "positive (a \(reason.rawValue) brings stock)"
                case .adjustment, .count: "not 0"
                }
            problems.append(InputProblem(field: field, message: "\(field) of a \(reason.rawValue) must be \(rule)"))
            return nil
        }
        return .quantity(qty)
    }
}
