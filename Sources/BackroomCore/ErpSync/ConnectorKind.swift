/// What a sync connection connects to. The raw values are the `ErpConnectorId`s of the agent
/// API, and never change.
public enum ConnectorKind: Int, Sendable, CaseIterable {
    /// On central: one store server, which pushes and pulls; central checks it answers.
    case storeLink = 1
    /// On a store: its link to central.
    case centralLink = 2
    /// A folder exchanged with the ERP.
    case erpFiles = 3

    public var name: String {
        switch self {
        case .storeLink: "store-link"
        case .centralLink: "central-link"
        case .erpFiles: "erp-files"
        }
    }

    public init?(name: String) {
        guard let kind = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = kind
    }
}
