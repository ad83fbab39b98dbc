/// An agent call's parameters read as the types its method wants. JSON sends them typed; XML
/// and forms send text, which is read the same way; names match without regard to case, so
/// clients that send camelCase are understood too. A nested object (`Connection` of
/// `SaveConnection`) is an object in JSON and XML and `Connection.Name` keys in a form.
public struct AgentParameters: Sendable {
    /// The parameter that is wrong, and how.
    public enum Problem: Error, Equatable {
        case mustBeBoolean(String)
        case mustBeInteger(String)
        case mustBeObject(String)
        case mustBeText(String)
    }

    private let members: [String: JSONValue]

    public init(_ body: JSONValue) {
        if case .object(let members) = body { self.members = members } else { members = [:] }
    }

    public func value(_ name: String) -> JSONValue? {
        members[name] ?? members.first { $0.key.lowercased() == name.lowercased() }?.value
    }

    /// A boolean; XML and form bodies send `true` / `false`. Absent or null: nil.
    public func boolean(_ name: String) throws(Problem) -> Bool? {
        switch value(name) {
        case nil, .null?: return nil
        case .bool(let flag)?: return flag
        case .string(let text)? where ["true", "false"].contains(text.trimmingOptionalWhitespace.lowercased()):
            return text.trimmingOptionalWhitespace.lowercased() == "true"
        default: throw .mustBeBoolean(name)
        }
    }

    /// A whole number, as a number or (XML, form) as digits.
    public func integer(_ name: String) throws(Problem) -> Int64 {
        guard let number = try optionalInteger(name) else { throw .mustBeInteger(name) }
        return number
    }

    /// A whole number; absent or null: nil.
    public func optionalInteger(_ name: String) throws(Problem) -> Int64? {
        switch value(name) {
        case nil, .null?: return nil
        case .integer(let number)?: return number
        case .string(let text)?:
            guard let number = Int64(text.trimmingOptionalWhitespace) else { throw .mustBeInteger(name) }
            return number
        default: throw .mustBeInteger(name)
        }
    }

    /// A text; absent or null: nil. Whole numbers and booleans are taken as their text.
    public func text(_ name: String) throws(Problem) -> String? {
        switch value(name) {
        case nil, .null?: return nil
        case .string(let text)?: return text
        case .integer(let number)?: return String(number)
        case .bool(let flag)?: return flag ? "true" : "false"
        default: throw .mustBeText(name)
        }
    }

    /// A list of whole numbers: a JSON array, XML `<int>` or `<long>` children (one child is one
    /// item), or a form's comma-separated digits. Absent or null: empty.
    public func integers(_ name: String) throws(Problem) -> [Int64] {
        let items: [JSONValue]
        switch value(name) {
        case nil, .null?: return []
        case .array(let values)?: items = values
        case .object(let members)? where members.count == 1 && Self.listItemNames.contains(members.first!.key.lowercased()):
            items = [members.first!.value]
        case .string(let text)?:
            items = text.split(separator: ",").map { .string(String($0)) }
        default: throw .mustBeInteger(name)
        }
        var numbers: [Int64] = []
        for item in items {
            switch item {
            case .integer(let number): numbers.append(number)
            case .string(let text):
                guard let number = Int64(text.trimmingOptionalWhitespace) else { throw .mustBeInteger(name) }
                numbers.append(number)
            default: throw .mustBeInteger(name)
            }
        }
        return numbers
    }

    /// A dictionary of texts: a JSON object, XML children by key (or .NET's key-value pair
    /// elements), or a form's `Name.key` / `Name[key]` fields. Absent or null: nil.
    public func strings(_ name: String) throws(Problem) -> [String: String]? {
        let prefixed = formMembers(name)
        switch value(name) {
        case nil, .null?:
            return prefixed.isEmpty ? nil : prefixed.compactMapValues { if case .string(let text) = $0 { text } else { nil } }
        case .object(let entries)?:
            var texts: [String: String] = [:]
            for (key, entry) in entries {
                switch entry {
                case .string(let text): texts[key] = text
                case .integer(let number): texts[key] = String(number)
                case .bool(let flag): texts[key] = flag ? "true" : "false"
                case .null: continue
                case .number: throw .mustBeObject(name)
                case .object, .array:
                    for pair in Self.keyValuePairs(entry) { texts[pair.key] = pair.value }
                }
            }
            return texts
        case .array(let items)? where !items.isEmpty && items.allSatisfy({ !Self.keyValuePairs($0).isEmpty }):
            return Dictionary(Self.keyValuePairs(.array(items)).map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
        case .string(let text)? where text.trimmingOptionalWhitespace.isEmpty: return [:]
        default: throw .mustBeObject(name)
        }
    }

    /// A nested object's parameters; absent: none.
    public func object(_ name: String) throws(Problem) -> AgentParameters {
        switch value(name) {
        case nil, .null?: return AgentParameters(.object(formMembers(name)))
        case .object(let members)?: return AgentParameters(.object(members))
        default: throw .mustBeObject(name)
        }
    }

    /// What .NET's serializers call the items of an integer list in XML.
    private static let listItemNames: Set<String> = ["int", "long"]

    /// A form's `Name.key` and `Name[key]` fields, by key.
    private func formMembers(_ name: String) -> [String: JSONValue] {
        var found: [String: JSONValue] = [:]
        let lowered = name.lowercased()
        for (key, value) in members {
            let lowerKey = key.lowercased()
            if lowerKey.hasPrefix(lowered + "."), key.count > name.count + 1 {
                found[String(key.dropFirst(name.count + 1))] = value
            } else if lowerKey.hasPrefix(lowered + "["), key.hasSuffix("]"), key.count > name.count + 2 {
                found[String(key.dropFirst(name.count + 1).dropLast())] = value
            }
        }
        return found
    }

    /// `<KeyValuePair><Key>k</Key><Value>v</Value></KeyValuePair>`, one or repeated.
    private static func keyValuePairs(_ value: JSONValue) -> [(key: String, value: String)] {
        switch value {
        case .array(let items): return items.flatMap(keyValuePairs)
        case .object(let members):
            let lowered = Dictionary(members.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
            if case .string(let key)? = lowered["key"], case .string(let text)? = lowered["value"] { return [(key, text)] }
            return []
        default: return []
        }
    }
}
