/// A permission held by a user.
///
/// `reservation` and `atp` keep the numeric ids that the order management system's clients and
/// operators already know; the other rights are Backroom's own and have none.
public enum Right: String, CaseIterable, Sendable, Codable, Comparable {
    case reservation
    case atp
    case erpsync
    case stock
    case admin

    public var legacyID: Int? {
        switch self {
        case .reservation: 124
        case .atp: 123
        case .erpsync, .stock, .admin: nil
        }
    }

    public var title: String {
        switch self {
        case .reservation: "Reservation REST service"
        case .atp: "ATP service"
        case .erpsync: "ERP sync agent"
        case .stock: "Stock administration"
        case .admin: "Administration"
        }
    }

    /// Accepts a right's name (`reservation`) or its legacy numeric id (`124`).
    public init?(named text: String) {
        let lowered = text.lowercased()
        if let right = Right(rawValue: lowered) {
            self = right
        } else if let id = Int(text), let right = Right.allCases.first(where: { $0.legacyID == id }) {
            self = right
        } else {
            return nil
        }
    }

    public static func < (lhs: Right, rhs: Right) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}
