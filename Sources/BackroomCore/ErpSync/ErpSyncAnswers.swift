import Foundation

/// The agent's answers as the CRM's clients know them: exact property names in their order,
/// `TableRight` and `FieldProperties` from the caller's rights, texts in the caller's language,
/// date-times in the caller's time zone.
public struct ErpSyncAnswers: Sendable {
    public enum PluginStatus: String, Sendable {
        /// The wire values of the original's schema (its prose says "Warn"; the wire `Warning`).
        case ok = "Ok", okWithInfo = "OkWithInfo", warning = "Warning", error = "Error"
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
        return record("ErpSyncEngineStatus", table: .full, [
            Field("IsRunning", .bool(running), type: "System.Boolean"),
            Field("StatusMessage", .string(message), type: "System.String"),
            Field("Interval", .duration(interval), type: "System.TimeSpan"),
        ])
    }

    public func pluginResponse(status: PluginStatus, explanation: ErpText, technical: String, errorCode: String = "") -> ErpValue {
        record("PluginResponse", table: .full, [
            Field("IsOk", .bool(status != .error), type: "System.Boolean"),
            Field("UserExplanation", .string(text(explanation)), type: "System.String"),
            Field("TechExplanation", .string(technical), type: "System.String"),
            Field("ErrorCode", .string(errorCode), type: "System.String"),
            Field("Changes", .null, type: "System.Object"),
            Field("Status", .string(status.rawValue), type: "System.String"),
        ])
    }

    public func connections(_ connections: [SyncConnection]) -> ErpValue {
        .list(item: "ErpConnection", connections.map(connection))
    }

    public func connection(_ connection: SyncConnection) -> ErpValue {
        // Connections are made and removed from the command line, by an operator.
        let settings: Access = principal.isAdmin ? .full : .readOnly(text(.adminOnly))
        return record("ErpConnection", table: principal.isAdmin ? .full : .named("UR", text(.adminOnly)), [
            Field("ErpConnectionId", .int(connection.id), type: "System.Int32"),
            Field("ErpConnectorId", .int(Int64(connection.kind.rawValue)), type: "System.Int32"),
            Field("DisplayName", .string(connection.name), type: "System.String", length: 255),
            Field("DisplayDescription", .string(text(.connectionDescription(connection.kind, target: connection.target))), type: "System.String", length: 2000),
            Field("Active", .bool(connection.active), type: "System.Boolean"),
            Field("ConnectionId", .string(connection.uuid), type: "System.String", length: 36, right: settings),
            Field("MostRecentTimestamp", .string(connection.lastSuccessAt.map(zone.dateTime) ?? ""), type: "System.DateTime"),
            Field(
                "ConfigFields", .map(connection.config.sorted { $0.key < $1.key }.map { ErpProperty($0.key, .string($0.value)) }),
                type: "System.Collections.Generic.Dictionary`2[System.String,System.String]", right: settings
            ),
            Field("Deleted", .bool(connection.deleted), type: "System.Boolean", right: settings),
            Field("AllAccess", .bool(true), type: "System.Boolean", right: settings),
            Field("UserGroupAccessIds", .list(item: "int", []), type: "System.Int32[]", right: settings),
            Field("AssociateAccessIds", .list(item: "int", []), type: "System.Int32[]", right: settings),
        ])
    }

    public func connectors(_ kinds: [ConnectorKind]) -> ErpValue {
        .list(item: "ListItem", kinds.map { kind in
            .object(type: "ListItem", [
                ErpProperty("Id", .int(Int64(kind.rawValue))),
                ErpProperty("Name", .string(text(.connectorName(kind)))),
                ErpProperty("ToolTip", .string(text(.connectorToolTip(kind)))),
            ])
        })
    }

    public func strings(_ texts: [ErpText]) -> ErpValue {
        .list(item: "string", texts.map { .string(text($0)) })
    }

    /// A right as the CRM names it: a mask (`FULL`, `UR`, `R`) and why it is less than full.
    private enum Access {
        case full
        case readOnly(String)
        case named(String, String)

        var value: ErpValue {
            let (mask, reason) = switch self {
            case .full: ("FULL", "")
            case .readOnly(let reason): ("R", reason)
            case .named(let mask, let reason): (mask, reason)
            }
            return .object(type: "TableRight", [ErpProperty("Mask", .string(mask)), ErpProperty("Reason", .string(reason))])
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
        .object(type: type, [
            ErpProperty("TableRight", table.value),
            ErpProperty("FieldProperties", .map(fields.map { field in
                guard case .object(_, let right) = field.right.value else { return ErpProperty(field.name, .null) }
                return ErpProperty(field.name, .object(type: "FieldProperty", [
                    ErpProperty("FieldRight", .object(type: "FieldRight", right)),
                    ErpProperty("FieldType", .string(field.type)),
                    ErpProperty("FieldLength", .int(Int64(field.length))),
                ]))
            })),
        ] + fields.map { ErpProperty($0.name, $0.value) })
    }
}
