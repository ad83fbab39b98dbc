/// A request to reserve stock, as the create endpoint accepts it.
public struct ReservationRequest: Sendable, Equatable {
    public static let defaultLifetime: Int64 = 600
    public static let lifetimeRange: ClosedRange<Int64> = 1...2_592_000
    public static let itemCountRange = 1...1000
    public static let maximumQty: Int64 = 1_000_000_000

    public let lifetime: Int64
    public let type: ReservationType
    /// Entries for the same product already added together.
    public let lines: [ReservationLine]

    public init(lifetime: Int64, type: ReservationType, lines: [ReservationLine]) {
        self.lifetime = lifetime
        self.type = type
        self.lines = ReservationLine.merged(lines)
    }

    /// The request's meaning, independent of how it was spelled (`"2"` or `2`, `partly` or
    /// `PARTLY`, one line or two for the same product): what an idempotency key is bound to.
    public var canonicalForm: String {
        "\(lifetime)|\(type.rawValue)|" + lines.map { "\($0.product.utf8.count):\($0.product)=\($0.qty)" }.joined(separator: ",")
    }

    /// Checks every field and reports every problem at once.
    public static func parse(_ body: JSONValue) throws(InvalidInput) -> ReservationRequest {
        guard case .object = body else {
            throw InvalidInput(problems: [InputProblem(field: "body", message: "The request body must be a JSON object")])
        }
        var problems: [InputProblem] = []
        let lifetime = ReservationFields.lifetime(body["lifetime"], problems: &problems) ?? defaultLifetime
        let type = ReservationFields.type(body["type"], problems: &problems) ?? .complete
        let lines = ReservationFields.items(body["items"], allowZero: false, problems: &problems)
        if lines == nil, body["items"] ?? .null == .null {
            problems.append(InputProblem(field: "items", message: "items is required: a list of 1 to \(itemCountRange.upperBound) entries"))
        }
        guard problems.isEmpty, let lines else { throw InvalidInput(problems: problems) }
        return ReservationRequest(lifetime: lifetime, type: type, lines: lines)
    }
}

/// A change to an existing reservation, as the `PUT` endpoint accepts it.
public struct ReservationChange: Sendable, Equatable {
    public let lifetime: Int64?
    public let type: ReservationType?
    /// The reservation's new lines; a quantity of 0 removes the product.
    public let lines: [ReservationLine]?

    public init(lifetime: Int64?, type: ReservationType?, lines: [ReservationLine]?) {
        self.lifetime = lifetime
        self.type = type
        self.lines = lines.map(ReservationLine.merged)
    }

    public static func parse(_ body: JSONValue) throws(InvalidInput) -> ReservationChange {
        guard case .object = body else {
            throw InvalidInput(problems: [InputProblem(field: "body", message: "The request body must be a JSON object")])
        }
        var problems: [InputProblem] = []
        let lifetime = ReservationFields.lifetime(body["lifetime"], problems: &problems)
        let type = ReservationFields.type(body["type"], problems: &problems)
        let lines = ReservationFields.items(body["items"], allowZero: true, problems: &problems)
        if body["lifetime"] ?? .null == .null, body["items"] ?? .null == .null {
            problems.append(InputProblem(field: "body", message: "A change needs lifetime, items or both"))
        }
        guard problems.isEmpty else { throw InvalidInput(problems: problems) }
        return ReservationChange(lifetime: lifetime, type: type, lines: lines)
    }
}

/// The field rules that creating and changing a reservation share.
enum ReservationFields {
    static func lifetime(_ value: JSONValue?, problems: inout [InputProblem]) -> Int64? {
        guard let value, value != .null else { return nil }
        return InputReading.wholeNumber(value, field: "lifetime", in: ReservationRequest.lifetimeRange, problems: &problems)
    }

    static func type(_ value: JSONValue?, problems: inout [InputProblem]) -> ReservationType? {
        guard let value, value != .null else { return nil }
        guard case .string(let text) = value, let type = ReservationType(caseInsensitive: text) else {
            problems.append(InputProblem(field: "type", message: "type must be COMPLETE or PARTLY"))
            return nil
        }
        return type
    }

    static func items(_ value: JSONValue?, allowZero: Bool, problems: inout [InputProblem]) -> [ReservationLine]? {
        guard let value, value != .null else { return nil }
        guard case .array(let entries) = value, ReservationRequest.itemCountRange.contains(entries.count) else {
            problems.append(
                InputProblem(
                    field: "items",
                    message: "items must be a list of 1 to \(ReservationRequest.itemCountRange.upperBound) entries"
                )
            )
            return nil
        }
        let before = problems.count
        let lowest: Int64 = allowZero ? 0 : 1
        var lines: [ReservationLine] = []
        for (index, entry) in entries.enumerated() {
            let prefix = "items[\(index)]"
            guard case .object = entry else {
                problems.append(InputProblem(field: prefix, message: "\(prefix) must be an object with id and qty"))
                continue
            }
            let id = InputReading.productID(entry["id"], field: "\(prefix).id", problems: &problems)
            let qty = InputReading.wholeNumber(
                entry["qty"] ?? .null,
                field: "\(prefix).qty",
                in: lowest...ReservationRequest.maximumQty,
                problems: &problems
            )
            if let id, let qty { lines.append(ReservationLine(product: id, qty: qty)) }
        }
        return problems.count == before ? lines : nil
    }
}
