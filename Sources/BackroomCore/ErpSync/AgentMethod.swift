/// The agent's methods as a client discovers them with `GET`: name, what it does, the body's
/// properties with their .NET types, and the answer's type.
public enum AgentMethod: String, CaseIterable, Sendable {
    case getEngineStatus = "GetEngineStatus"
    case changeEngineStatus = "ChangeEngineStatus"
    case changeEngineInterval = "ChangeEngineInterval"
    case syncAll = "SyncAll"
    case forceSyncAll = "ForceSyncAll"
    case getAllConnections = "GetAllConnections"
    case getConnection = "GetConnection"
    case toggleErpConnectionActive = "ToggleErpConnectionActive"
    case testConnectionById = "TestConnectionById"
    case getAllConnectors = "GetAllConnectors"

    /// Method names as clients send them, matched without regard to case.
    public static func named(_ name: String) -> AgentMethod? {
        allCases.first { $0.rawValue.lowercased() == name.lowercased() }
    }

    public var summary: String {
        switch self {
        case .getEngineStatus: "Whether automatic rounds run, what the engine does now, and its interval."
        case .changeEngineStatus: "Turns automatic rounds on or off; answers the status after the change."
        case .changeEngineInterval: "Sets the time between automatic rounds, from 1 second to 1 day; answers 204."
        case .syncAll: "Runs a round now if the engine runs."
        case .forceSyncAll: "Runs a round now, even if the engine is stopped."
        case .getAllConnections: "Every connection the engine visits, deleted ones too if asked."
        case .getConnection: "One connection; null when there is none with that id."
        case .toggleErpConnectionActive: "Activates or deactivates a connection; answers why it could not, or an empty list."
        case .testConnectionById: "Whether the connection can be reached now; false when there is none with that id."
        case .getAllConnectors: "The kinds of connection the engine knows."
        }
    }

    /// The body's properties and their .NET types.
    public var parameters: [(name: String, type: String)] {
        switch self {
        case .changeEngineStatus: [("Run", "System.Boolean")]
        case .changeEngineInterval: [("Interval", "System.TimeSpan")]
        case .getAllConnections: [("IncludeDeleted", "System.Boolean")]
        case .getConnection, .toggleErpConnectionActive, .testConnectionById: [("ErpConnectionId", "System.Int32")]
        case .getEngineStatus, .syncAll, .forceSyncAll, .getAllConnectors: []
        }
    }

    public var answerType: String {
        switch self {
        case .getEngineStatus, .changeEngineStatus: "ErpSyncEngineStatus"
        case .changeEngineInterval: "None (204)"
        case .syncAll, .forceSyncAll: "PluginResponse"
        case .getAllConnections: "ErpConnection[]"
        case .getConnection: "ErpConnection"
        case .toggleErpConnectionActive: "System.String[]"
        case .testConnectionById: "System.Boolean"
        case .getAllConnectors: "ListItem[]"
        }
    }

    /// What `GET` on the method answers.
    public var description: ErpValue {
        .object(type: "MethodDescription", [
            ErpProperty("Name", .string(rawValue)),
            ErpProperty("HttpMethod", .string("POST")),
            ErpProperty("Summary", .string(summary)),
            ErpProperty("Parameters", .list(item: "Parameter", parameters.map { parameter in
                .object(type: "Parameter", [ErpProperty("Name", .string(parameter.name)), ErpProperty("Type", .string(parameter.type))])
            })),
            ErpProperty("Returns", .string(answerType)),
        ])
    }
}
