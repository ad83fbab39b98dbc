/// The unique name of a Backroom server, e.g. `CENTRAL` or `VALLBLANCA`.
public struct ServerKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public static let maximumLength = 32
    public static let central = ServerKey(unchecked: "CENTRAL")

    public let value: String

    public init(_ value: String) throws(ConfigurationError) {
        guard !value.isEmpty, value.count <= Self.maximumLength else {
            throw ConfigurationError("server key must be 1 to \(Self.maximumLength) characters, got \(value.count)")
        }
        guard value.unicodeScalars.allSatisfy(Self.isAllowed) else {
            throw ConfigurationError("server key '\(value)' may only contain A-Z, a-z, 0-9, '_' and '-'")
        }
        self.value = value
    }

    init(unchecked value: String) {
        self.value = value
    }

    public var description: String { value }

    public static func < (lhs: ServerKey, rhs: ServerKey) -> Bool { lhs.value < rhs.value }

    private static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A"..."Z", "a"..."z", "0"..."9", "_", "-": true
        default: false
        }
    }
}
