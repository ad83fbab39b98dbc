/// What a sync connection connects to. The three built-in connectors have fixed
/// `ErpConnectorId`s; every HTTP connector is an entity of its own, with an id from
/// `ConnectorKind.firstEntityId` up.
public enum ConnectorKind: Sendable, CaseIterable {
    /// On central: one store server, which pushes and pulls; central checks it answers.
    case storeLink
    /// On a store: its link to central.
    case centralLink
    /// A folder exchanged with the ERP.
    case erpFiles
    /// An ERP's HTTP endpoint that takes movements in batches.
    case http

    /// Ids below are the built-in connectors'; HTTP connector entities are numbered from here,
    /// so that a built-in added later never takes an id a retailer's entity has.
    public static let firstEntityId: Int64 = 101

    /// The `ErpConnectorId` of a built-in connector; nil for HTTP, whose entities have their own.
    public var builtInId: Int64? {
        switch self {
        case .storeLink: 1
        case .centralLink: 2
        case .erpFiles: 3
        case .http: nil
        }
    }

    /// Links between Backroom's own servers are the operator's: an ERP integrator may look at
    /// one but not re-point, stop or delete it (a re-pointed link had central count a running
    /// store OFF).
    public var changedByAdminOnly: Bool {
        self == .storeLink || self == .centralLink
    }

    public static func builtIn(id: Int64) -> ConnectorKind? {
        allCases.first { $0.builtInId == id }
    }

    public var name: String {
        switch self {
        case .storeLink: "store-link"
        case .centralLink: "central-link"
        case .erpFiles: "erp-files"
        case .http: "http"
        }
    }

    public init?(name: String) {
        guard let kind = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = kind
    }
}
