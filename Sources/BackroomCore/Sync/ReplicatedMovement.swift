/// A movement as it travels between servers: its origin and sequence make it unique
/// everywhere, so a receiver applies it at most once however often it arrives.
public struct ReplicatedMovement: Sendable, Equatable {
    public let origin: ServerKey
    public let sequence: Int64
    public let shop: Int
    public let product: String
    public let qty: Int64
    public let reason: MovementReason
    public let reference: String?
    public let createdAt: Int64

    public init(
        origin: ServerKey,
        sequence: Int64,
        shop: Int,
        product: String,
        qty: Int64,
        reason: MovementReason,
        reference: String?,
        createdAt: Int64
    ) {
        self.origin = origin
        self.sequence = sequence
        self.shop = shop
        self.product = product
        self.qty = qty
        self.reason = reason
        // No reference and an empty one are one thing, however a database keeps it.
        self.reference = reference?.isEmpty == true ? nil : reference
        self.createdAt = createdAt
    }

    public var json: JSONValue {
        .object([
            "origin": .string(origin.value), "sequence": .integer(sequence), "shop": .integer(Int64(shop)),
            "id": .string(product), "qty": .integer(qty), "reason": .string(reason.rawValue),
            "reference": reference.map(JSONValue.string) ?? .null, "createdAt": .integer(createdAt),
        ])
    }

    /// Reads `{"movements": [...]}` as `json` writes them; nil when anything is off, since a
    /// peer that sends a malformed batch is refused as a whole.
    public static func parseList(_ body: JSONValue) -> [ReplicatedMovement]? {
        guard case .array(let entries) = body["movements"] else { return nil }
        var movements: [ReplicatedMovement] = []
        for entry in entries {
            guard case .string(let originText) = entry["origin"], let origin = try? ServerKey(originText),
                case .integer(let sequence) = entry["sequence"], sequence > 0,
                case .integer(let shop) = entry["shop"],
                case .string(let product) = entry["id"], ProductID.isValid(product),
                case .integer(let qty) = entry["qty"], StockLevel.movementBounds.contains(qty),
                case .string(let reasonText) = entry["reason"], let reason = MovementReason(rawValue: reasonText),
                case .integer(let createdAt) = entry["createdAt"]
            else { return nil }
            let reference: String?
            switch entry["reference"] {
            case .string(let text)? where text.count <= MovementRequest.maximumReferenceLength: reference = text
            case nil, .null?: reference = nil
            default: return nil
            }
            movements.append(
                ReplicatedMovement(
                    origin: origin,
                    sequence: sequence,
                    shop: Int(shop),
                    product: product,
                    qty: qty,
                    reason: reason,
                    reference: reference,
                    createdAt: createdAt
                )
            )
        }
        return movements
    }
}
