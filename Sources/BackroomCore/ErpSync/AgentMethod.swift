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
    case forceResync = "ForceResync"
    case saveConnection = "SaveConnection"
    case deleteConnection = "DeleteConnection"
    case testConnectionByConfig = "TestConnectionByConfig"
    case getErpConnectionConfigFields = "GetErpConnectionConfigFields"
    case saveErpConnectionSyncPriorities = "SaveErpConnectionSyncPriorities"
    case getErpSyncConnectionSummary = "GetErpSyncConnectionSummary"
    case getConfigurationFields = "GetConfigurationFields"
    case createDefaultErpSyncConnectorEntity = "CreateDefaultErpSyncConnectorEntity"
    case getErpSyncConnectorEntity = "GetErpSyncConnectorEntity"
    case saveErpSyncConnectorEntity = "SaveErpSyncConnectorEntity"
    case deleteErpSyncConnectorEntity = "DeleteErpSyncConnectorEntity"
    case canDeleteErpSyncConnectorEntity = "CanDeleteErpSyncConnectorEntity"
    case testConnectorUrl = "TestConnectorUrl"

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
        case .getAllConnectors: "The kinds of connection the engine knows: the built-in ones and each HTTP connector."
        case .forceResync:
            "Makes a connection start over (ERP export: every movement, or the given ids, again; store link: the store pulls its whole state again)."
        case .saveConnection: "Creates a connection (ErpConnectionId 0) or changes one; answers it as stored, null when there is none with that id."
        case .deleteConnection: "Marks a connection deleted: it is no longer visited and stays listed with IncludeDeleted; answers 204."
        case .testConnectionByConfig: "Whether the connection could be reached with these settings; nothing is saved."
        case .getErpConnectionConfigFields: "A connection's settings by key, secrets left out; null when there is none with that id."
        case .saveErpConnectionSyncPriorities:
            "Rounds visit these connections first, in this order, the rest after by id; false when an id does not exist."
        case .getErpSyncConnectionSummary: "What a connection is, when it last synced and what it moves; null when there is none with that id."
        case .getConfigurationFields: "The settings a connector's connections have; null when there is no such connector."
        case .createDefaultErpSyncConnectorEntity: "A new HTTP connector with default values, not saved."
        case .getErpSyncConnectorEntity: "One connector by the query's erpSyncConnectorEntityId; null when there is none."
        case .saveErpSyncConnectorEntity: "Creates an HTTP connector (ErpConnectorId 0) or changes one; answers it as stored."
        case .deleteErpSyncConnectorEntity: "Deletes the HTTP connector the query's erpSyncConnectorEntityId names; answers 204."
        case .canDeleteErpSyncConnectorEntity:
            "NoError when the connector can be deleted; ErrorConnectorHasConnections when connections use it or it is built in; ErrorNotFound when there is none."
        case .testConnectorUrl: "NoError when the URL answers as a connector within the connect time-out, else ErrorNotFound."
        }
    }

    /// The body's properties and their .NET types.
    public var parameters: [(name: String, type: String)] {
        switch self {
        case .changeEngineStatus: [("Run", "System.Boolean")]
        case .changeEngineInterval: [("Interval", "System.TimeSpan")]
        case .getAllConnections: [("IncludeDeleted", "System.Boolean")]
        case .getConnection, .toggleErpConnectionActive, .testConnectionById, .deleteConnection, .getErpConnectionConfigFields:
            [("ErpConnectionId", "System.Int32")]
        case .getEngineStatus, .syncAll, .forceSyncAll, .getAllConnectors, .createDefaultErpSyncConnectorEntity: []
        case .forceResync: [("ErpConnectionId", "System.Int32"), ("InternalKeyIds", "System.Int32[]")]
        case .saveConnection: [("Connection", "ErpConnection")]
        case .testConnectionByConfig: [("ErpConnectionId", "System.Int32"), ("ConfigFields", Self.dictionary)]
        case .saveErpConnectionSyncPriorities: [("ErpConnectionIds", "System.Int32[]")]
        case .getErpSyncConnectionSummary: [("ErpSyncConnectionId", "System.Int32")]
        case .getConfigurationFields: [("ErpConnectorId", "System.Int32")]
        case .getErpSyncConnectorEntity, .deleteErpSyncConnectorEntity: [("erpSyncConnectorEntityId (query)", "System.Int32")]
        case .saveErpSyncConnectorEntity:
            [("ErpConnectorId", "System.Int32"), ("DisplayName", "System.String"), ("URL", "System.String"), ("Deleted", "System.Boolean")]
        case .canDeleteErpSyncConnectorEntity: [("ErpSyncConnectorId", "System.Int32")]
        case .testConnectorUrl: [("Url", "System.String")]
        }
    }

    public var answerType: String {
        switch self {
        case .getEngineStatus, .changeEngineStatus: "ErpSyncEngineStatus"
        case .changeEngineInterval, .deleteConnection, .deleteErpSyncConnectorEntity: "None (204)"
        case .syncAll, .forceSyncAll, .forceResync: "PluginResponse"
        case .getAllConnections: "ErpConnection[]"
        case .getConnection, .saveConnection: "ErpConnection"
        case .toggleErpConnectionActive: "System.String[]"
        case .testConnectionById, .testConnectionByConfig, .saveErpConnectionSyncPriorities: "System.Boolean"
        case .getAllConnectors: "ListItem[]"
        case .getErpConnectionConfigFields: Self.dictionary
        case .getErpSyncConnectionSummary: "ErpSyncConnectionSummary"
        case .getConfigurationFields: "FieldMetadata[]"
        case .createDefaultErpSyncConnectorEntity, .getErpSyncConnectorEntity, .saveErpSyncConnectorEntity: "ErpSyncConnectorEntity"
        case .canDeleteErpSyncConnectorEntity, .testConnectorUrl: "ErpSyncResponseCode"
        }
    }

    /// Whether the method changes something, and so is written to the audit log.
    public var changesSomething: Bool {
        switch self {
        case .changeEngineStatus, .changeEngineInterval, .syncAll, .forceSyncAll, .forceResync, .saveConnection, .deleteConnection,
            .toggleErpConnectionActive, .saveErpConnectionSyncPriorities, .saveErpSyncConnectorEntity, .deleteErpSyncConnectorEntity:
            true
        case .getEngineStatus, .getAllConnections, .getConnection, .testConnectionById, .getAllConnectors, .testConnectionByConfig,
            .getErpConnectionConfigFields, .getErpSyncConnectionSummary, .getConfigurationFields, .createDefaultErpSyncConnectorEntity,
            .getErpSyncConnectorEntity, .canDeleteErpSyncConnectorEntity, .testConnectorUrl:
            false
        }
    }

    private static let dictionary = "System.Collections.Generic.Dictionary`2[System.String,System.String]"

    /// What `GET` on the method answers.
    public var description: ErpValue {
        .object(
            type: "MethodDescription",
            [
                ErpProperty("Name", .string(rawValue)),
                ErpProperty("HttpMethod", .string("POST")),
                ErpProperty("Summary", .string(summary)),
                ErpProperty(
                    "Parameters",
                    .list(
                        item: "Parameter",
                        parameters.map { parameter in
                            .object(type: "Parameter", [ErpProperty("Name", .string(parameter.name)), ErpProperty("Type", .string(parameter.type))])
                        }
                    )
                ),
                ErpProperty("Returns", .string(answerType)),
            ]
        )
    }
}
