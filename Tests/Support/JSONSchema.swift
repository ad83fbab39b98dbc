import BackroomCore
import Foundation

/// Checks a JSON answer against a JSON Schema as a strict generated client would read it. Knows
/// the keywords the contract schemas in `Tests/Contracts` use: `type`, `properties`, `required`,
/// `additionalProperties`, `items`, `enum`, `const`, `pattern`, `minimum`, `$ref` (to
/// `#/$defs/…`) and `oneOf`.
public struct JSONSchema: Sendable {
    private let definitions: [String: JSONValue]

    /// A schema of the repository's `Tests/Contracts` folder, by file name.
    public static func contract(_ name: String) throws -> JSONSchema {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Contracts")
        let bytes = [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))
        guard case .object(let definitions)? = try JSONReader.read(bytes)["$defs"] else { throw ContractMissing(name: name) }
        return JSONSchema(definitions: definitions)
    }

    struct ContractMissing: Error {
        let name: String
    }

    /// Every place where `bytes` differ from the definition `name` (`#/$defs/name`); none when valid.
    public func problems(_ bytes: some Collection<UInt8>, against name: String) -> [String] {
        guard let value = try? JSONReader.read(Array(bytes)) else {
            return ["$: not JSON: \(String(decoding: Array(bytes), as: UTF8.self).prefix(200))"]
        }
        var problems: [String] = []
        check(value, against: .object(["$ref": .string("#/$defs/\(name)")]), at: "$", into: &problems)
        return problems
    }

    private func check(_ value: JSONValue, against schema: JSONValue, at path: String, into problems: inout [String]) {
        if case .string(let reference) = schema["$ref"] {
            guard let name = reference.split(separator: "/").last, let defined = definitions[String(name)] else {
                problems.append("\(path): unknown reference \(reference)")
                return
            }
            check(value, against: defined, at: path, into: &problems)
            return
        }
        if case .array(let choices) = schema["oneOf"] {
            let matching = choices.filter { choice in
                var found: [String] = []
                check(value, against: choice, at: path, into: &found)
                return found.isEmpty
            }
            if matching.count != 1 {
                problems.append("\(path): \(Self.describe(value)) matches \(matching.count) of oneOf's \(choices.count) choices")
            }
            return
        }
        if let types = schema["type"].map(Self.strings), !types.contains(where: { Self.isOfType(value, $0) }) {
            problems.append("\(path): \(Self.describe(value)) is not \(types.joined(separator: " or "))")
            return
        }
        if case .array(let allowed) = schema["enum"], !allowed.contains(value) {
            problems.append("\(path): \(Self.describe(value)) is not one of \(allowed.map(Self.describe))")
        }
        if let constant = schema["const"], constant != value {
            problems.append("\(path): \(Self.describe(value)) is not \(Self.describe(constant))")
        }
        if case .string(let text) = value, case .string(let pattern) = schema["pattern"], text.range(of: pattern, options: .regularExpression) == nil
        {
            problems.append("\(path): \"\(text)\" does not match \(pattern)")
        }
        if case .integer(let number) = value, case .integer(let least) = schema["minimum"], number < least {
            problems.append("\(path): \(number) is below \(least)")
        }
        if case .object(let members) = value {
            let properties: [String: JSONValue] = if case .object(let properties) = schema["properties"] { properties } else { [:] }
            for name in schema["required"].map(Self.strings) ?? [] where members[name] == nil {
                problems.append("\(path): lacks \(name)")
            }
            for (name, member) in members.sorted(by: { $0.key < $1.key }) {
                if let property = properties[name] {
                    check(member, against: property, at: "\(path).\(name)", into: &problems)
                } else if case .object = schema["additionalProperties"], let additional = schema["additionalProperties"] {
                    check(member, against: additional, at: "\(path).\(name)", into: &problems)
                } else if schema["additionalProperties"] == .bool(false) {
                    problems.append("\(path): has \(name), which the contract does not know")
                }
            }
        }
        if case .array(let items) = value, let itemSchema = schema["items"] {
            for (index, item) in items.enumerated() { check(item, against: itemSchema, at: "\(path)[\(index)]", into: &problems) }
        }
    }

    private static func strings(_ value: JSONValue) -> [String] {
        switch value {
        case .string(let text): [text]
        case .array(let items): items.compactMap { if case .string(let text) = $0 { text } else { nil } }
        default: []
        }
    }

    private static func isOfType(_ value: JSONValue, _ type: String) -> Bool {
        switch (value, type) {
        case (.null, "null"), (.bool, "boolean"), (.integer, "integer"), (.integer, "number"), (.number, "number"),
            (.string, "string"), (.array, "array"), (.object, "object"):
            true
        default: false
        }
    }

    private static func describe(_ value: JSONValue) -> String {
        String(JSONWriter.string(of: value).prefix(120))
    }
}
