import Foundation

/// The agent's answers as the CRM's clients know them: exact property names in their order,
/// `TableRight` and `FieldProperties` from the caller's rights, texts in the caller's language,
/// date-times in the caller's time zone.
public struct ErpSyncAnswers: Sendable {
    public enum PluginStatus: String, Sendable {
        /// The wire values of the original's schema (its prose says "Warn"; the wire `Warning`).
        case ok = "Ok"
        case okWithInfo = "OkWithInfo"
        case warning = "Warning"
        case error = "Error"
    }

    private let principal: Principal
    private let language: ErpLanguage
    private let culture: ErpCulture
    private let zone: ErpTimeZone

    public init(principal: Principal, language: ErpLanguage, culture: ErpCulture, zone: ErpTimeZone = .utc) {
        self.principal = principal
        self.language = language
        self.culture = culture
        self.zone = zone
    }

    public func text(_ text: ErpText) -> String { text.text(in: language, culture: culture) }

    public func engineStatus(running: Bool, interval: SyncInterval, progress: EngineProgress) -> ErpValue {
        let message = progress.statusMessage(running: running).map(text).joined(separator: " ")
        return record(
            "ErpSyncEngineStatus",
            table: .full,
            [
                Field("IsRunning", .bool(running), type: "System.Boolean"),
                Field("StatusMessage", .string(message), type: "System.String"),
                Field("Interval", .duration(interval), type: "System.TimeSpan"),
            ]
        )
    }

    public func pluginResponse(status: PluginStatus, explanation: ErpText, technical: String, errorCode: String = "") -> ErpValue {
        record(
            "PluginResponse",
            table: .full,
            [
                Field("IsOk", .bool(status != .error), type: "System.Boolean"),
                Field("UserExplanation", .string(text(explanation)), type: "System.String"),
                Field("TechExplanation", .string(technical), type: "System.String"),
                Field("ErrorCode", .string(errorCode), type: "System.String"),
                Field("Changes", .null, type: "System.Object"),
                Field("Status", .string(status.rawValue), type: "System.String"),
            ]
        )
    }

    public func connections(_ connections: [SyncConnection]) -> ErpValue {
        .list(item: "ErpConnection", connections.map(connection))
    }

    /// Secrets are left out of `ConfigFields`: they are written, never read back.
    public func connection(_ connection: SyncConnection) -> ErpValue {
        record(
            "ErpConnection",
            table: .full,
            [
                Field("ErpConnectionId", .int(connection.id), type: "System.Int32"),
                Field("ErpConnectorId", .int(connection.connectorId), type: "System.Int32"),
                Field("DisplayName", .string(connection.name), type: "System.String", length: 255),
                Field(
                    "DisplayDescription",
                    .string(text(.connectionDescription(connection.kind, target: connection.target))),
                    type: "System.String",
                    length: 2000
                ),
                Field("Active", .bool(connection.active), type: "System.Boolean"),
                Field("ConnectionId", .string(connection.uuid), type: "System.String", length: 36),
                Field("MostRecentTimestamp", .string(connection.lastSuccessAt.map(zone.dateTime) ?? ""), type: "System.DateTime"),
                Field("ConfigFields", .map(visibleConfig(connection)), type: "System.Collections.Generic.Dictionary`2[System.String,System.String]"),
                Field("Deleted", .bool(connection.deleted), type: "System.Boolean"),
                Field("AllAccess", .bool(true), type: "System.Boolean"),
                Field("UserGroupAccessIds", .list(item: "int", []), type: "System.Int32[]"),
                Field("AssociateAccessIds", .list(item: "int", []), type: "System.Int32[]"),
            ]
        )
    }

    /// `GetErpConnectionConfigFields`: the settings by key, secrets left out.
    public func configFields(_ connection: SyncConnection) -> ErpValue {
        .object(type: "StringDictionary", visibleConfig(connection))
    }

    private func visibleConfig(_ connection: SyncConnection) -> [ErpProperty] {
        connection.visibleConfig.sorted { $0.key < $1.key }.map { ErpProperty($0.key, .string($0.value)) }
    }

    /// The built-in connectors by name, HTTP connector entities by theirs.
    public func connectors(_ connectors: [(id: Int64, kind: ConnectorKind, entity: ConnectorEntity?)]) -> ErpValue {
        .list(
            item: "ListItem",
            connectors.map { connector in
                .object(
                    type: "ListItem",
                    [
                        ErpProperty("Id", .int(connector.id)),
                        ErpProperty("Name", .string(connector.entity?.name ?? text(.connectorName(connector.kind)))),
                        ErpProperty("ToolTip", .string(text(.connectorToolTip(connector.kind)))),
                    ]
                )
            }
        )
    }

    public func connectorEntity(_ entity: ConnectorEntity) -> ErpValue {
        record(
            "ErpSyncConnectorEntity",
            table: .full,
            [
                Field("ErpConnectorId", .int(entity.id), type: "System.Int32"),
                Field("DisplayName", .string(entity.name), type: "System.String", length: 255),
                Field("URL", .string(entity.url), type: "System.String", length: 2000),
                Field("Deleted", .bool(entity.deleted), type: "System.Boolean"),
            ]
        )
    }

    /// `GetConfigurationFields`: each setting of a connector, ranked in the order a form shows them.
    public func fields(_ fields: [ConnectorField]) -> ErpValue {
        .list(
            item: "FieldMetadata",
            fields.enumerated().map { index, field in
                record(
                    "FieldMetadata",
                    table: .full,
                    [
                        Field("FieldKey", .string(field.key), type: "System.String"),
                        Field("Rank", .int(Int64(index + 1)), type: "System.Int32"),
                        Field("DisplayName", .string(text(.fieldName(field.key))), type: "System.String"),
                        Field("DisplayDescription", .string(text(.fieldDescription(field.key))), type: "System.String"),
                        Field("FieldType", .string(field.type.rawValue), type: "System.String"),
                        Field("ListName", .string(""), type: "System.String"),
                        Field("DefaultValue", .string(field.defaultValue), type: "System.String"),
                        Field("MaxLength", .int(Int64(field.maxLength)), type: "System.Int32"),
                        Field("Access", .string(field.access.rawValue), type: "System.String"),
                        Field("ShowInSearch", .bool(false), type: "System.Boolean"),
                    ]
                )
            }
        )
    }

    /// `GetErpSyncConnectionSummary`: what the connection is and what it moves.
    public func summary(_ connection: SyncConnection) -> ErpValue {
        record(
            "ErpSyncConnectionSummary",
            table: .full,
            [
                Field("DisplayName", .string(connection.name), type: "System.String", length: 255),
                Field(
                    "DisplayDescription",
                    .string(text(.connectionDescription(connection.kind, target: connection.target))),
                    type: "System.String",
                    length: 2000
                ),
                Field("Active", .bool(connection.active), type: "System.Boolean"),
                Field("Deleted", .bool(connection.deleted), type: "System.Boolean"),
                Field("LastSync", .string(connection.lastSuccessAt.map(zone.dateTime) ?? ""), type: "System.DateTime"),
                Field(
                    "Actors",
                    .list(
                        item: "ErpSyncActorSummary",
                        connection.kind.actorTypes.map { actor in
                            record(
                                "ErpSyncActorSummary",
                                table: .full,
                                [
                                    Field("ActorType", .string(actor), type: "System.String"),
                                    Field("HasMappings", .bool(false), type: "System.Boolean"),
                                    Field("Defaults", .string(""), type: "System.String"),
                                    Field("Mappings", .string(""), type: "System.String"),
                                ]
                            )
                        }
                    ),
                    type: "SuperOffice.CRM.Services.ErpSyncActorSummary[]"
                ),
            ]
        )
    }

    public func strings(_ texts: [ErpText]) -> ErpValue {
        .list(item: "string", texts.map { .string(text($0)) })
    }

    /// A right as the CRM names it: a mask and why it is less than full. Every caller the agent
    /// lets in (rights `erpsync` or `admin`) may do all it offers.
    private enum Access {
        case full

        var value: ErpValue {
            .object(type: "TableRight", [ErpProperty("Mask", .string("FULL")), ErpProperty("Reason", .string(""))])
        }
    }

    private struct Field {
        let name: String
        let value: ErpValue
        let type: String
        let length: Int
        let right: Access

        init(_ name: String, _ value: ErpValue, type: String, length: Int = 0, right: Access = .full) {
            self.name = name
            self.value = value
            self.type = type
            self.length = length
            self.right = right
        }
    }

    /// The carrier members first, then the type's own: the order of the original's XML schema.
    private func record(_ type: String, table: Access, _ fields: [Field]) -> ErpValue {
        .object(
            type: type,
            [
                ErpProperty("TableRight", table.value),
                ErpProperty(
                    "FieldProperties",
                    .map(
                        fields.map { field in
                            guard case .object(_, let right) = field.right.value else { return ErpProperty(field.name, .null) }
                            return ErpProperty(
                                field.name,
                                .object(
                                    type: "FieldProperty",
                                    [
                                        ErpProperty("FieldRight", .object(type: "FieldRight", right)),
                                        ErpProperty("FieldType", .string(field.type)),
                                        ErpProperty("FieldLength", .int(Int64(field.length))),
                                    ]
                                )
                            )
                        }
                    )
                ),
            ] + fields.map { ErpProperty($0.name, $0.value) }
        )
    }
}
