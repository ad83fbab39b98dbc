import Foundation

/// One setting of a connector, as `GetConfigurationFields` describes it and `SaveConnection`
/// checks it. A connection's `ConfigFields` hold these by `key`.
public struct ConnectorField: Sendable, Equatable {
    /// The original's `FieldMetadataType` names.
    public enum FieldType: String, Sendable {
        case text = "Text"
        case password = "Password"
        case checkbox = "Checkbox"
        case integer = "Integer"
        case list = "List"
    }

    /// The spec's `Access` names.
    public enum Access: String, Sendable {
        case mandatory = "Mandatory"
        case optional = "Optional"
        case readOnly = "ReadOnly"
    }

    public let key: String
    public let type: FieldType
    public let access: Access
    public let defaultValue: String
    /// 0: no limit.
    public let maxLength: Int
    /// For integers: the values allowed.
    public let range: ClosedRange<Int64>?
    /// Whether the value must be an http(s) URL.
    public let isURL: Bool

    init(
        _ key: String,
        _ type: FieldType,
        _ access: Access,
        defaultValue: String = "",
        maxLength: Int = 0,
        range: ClosedRange<Int64>? = nil,
        isURL: Bool = false
    ) {
        self.key = key
        self.type = type
        self.access = access
        self.defaultValue = defaultValue
        self.maxLength = maxLength
        self.range = range
        self.isURL = isURL
    }

    /// A secret is stored sealed, sent only where it is needed, and never listed back.
    public var isSecret: Bool { type == .password }
}

/// Why settings were refused, naming the field, so that the caller can say which one is wrong.
public enum ConnectorSettingProblem: Error, Equatable, Sendable {
    case missing(field: String)
    case unknown(field: String)
    case tooLong(field: String, maxLength: Int)
    case notInteger(field: String, range: ClosedRange<Int64>)
    case notHTTPURL(field: String)
    /// A check that needs the world outside (a folder, the registry) said no.
    case refused(field: String, reason: String)

    public var field: String {
        switch self {
        case .missing(let field), .unknown(let field), .tooLong(let field, _), .notInteger(let field, _), .notHTTPURL(let field),
            .refused(let field, _):
            field
        }
    }
}

extension ConnectorKind {
    /// The settings of this kind's connections, in the order a form shows them.
    public var fields: [ConnectorField] {
        switch self {
        case .storeLink:
            [
                ConnectorField("serverKey", .text, .mandatory, maxLength: ServerKey.maximumLength),
                ConnectorField("url", .text, .optional, maxLength: 2000, isURL: true),
            ]
        case .centralLink:
            [
                ConnectorField("serverKey", .text, .readOnly, maxLength: ServerKey.maximumLength),
                ConnectorField("url", .text, .readOnly, maxLength: 2000),
            ]
        case .erpFiles:
            [ConnectorField("folder", .text, .mandatory, maxLength: 1024)]
        case .http:
            [
                ConnectorField("token", .password, .optional, maxLength: 4096),
                ConnectorField("batchSize", .integer, .optional, defaultValue: "1000", range: 1...10000),
                ConnectorField("timeoutSeconds", .integer, .optional, defaultValue: "30", range: 1...600),
            ]
        }
    }

    /// The first thing wrong with `config` for a connection of this kind, looking at the values
    /// alone; nil when they are fine.
    public func problem(with config: [String: String]) -> ConnectorSettingProblem? {
        let known = Dictionary(uniqueKeysWithValues: fields.map { ($0.key, $0) })
        if let unknown = config.keys.sorted().first(where: { known[$0] == nil }) { return .unknown(field: unknown) }
        for field in fields {
            let value = config[field.key] ?? ""
            if value.isEmpty {
                if field.access == .mandatory { return .missing(field: field.key) }
                continue
            }
            if field.maxLength > 0, value.count > field.maxLength { return .tooLong(field: field.key, maxLength: field.maxLength) }
            if let range = field.range, !(Int64(value).map(range.contains) ?? false) { return .notInteger(field: field.key, range: range) }
            if field.isURL, !HTTPURL.isValid(value) { return .notHTTPURL(field: field.key) }
        }
        return nil
    }

    /// What a connection of this kind moves, as `GetErpSyncConnectionSummary`'s actor types.
    public var actorTypes: [String] {
        switch self {
        case .storeLink, .centralLink, .erpFiles: ["Product", "StockLevel", "Movement"]
        case .http: ["Movement"]
        }
    }

    /// An integer setting, or its default.
    func integer(_ key: String, in config: [String: String]) -> Int64? {
        guard let field = fields.first(where: { $0.key == key }) else { return nil }
        return Int64(config[key] ?? "") ?? Int64(field.defaultValue)
    }
}

/// An absolute `http` or `https` URL with a host: what an HTTP connector or a store may be reached at.
public enum HTTPURL {
    public static func isValid(_ text: String) -> Bool {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else { return false }
        return true
    }

    /// The URL without a trailing `/`, as a server's base URL is kept; nil when it is not valid.
    public static func base(_ text: String) -> String? {
        guard isValid(text) else { return nil }
        return text.hasSuffix("/") ? String(text.dropLast()) : text
    }
}
