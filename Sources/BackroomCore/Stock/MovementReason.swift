/// Why on-hand stock changed. Every change of on hand is one of these, so the stock of a
/// product can always be explained as the sum of its movements.
public enum MovementReason: String, CaseIterable, Sendable {
    case sale
    case `return`
    case receipt
    case count
    case adjustment
}
