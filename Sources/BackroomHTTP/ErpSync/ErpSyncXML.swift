import BackroomCore
import Foundation
import XMLCoder

/// Writes an agent answer as the CRM writes XML: the root named for the type, children in
/// the JSON order, `null` as `xsi:nil="true"`, a list's items named for their type.
enum ErpSyncXML {
    static let schemaInstance = "http://www.w3.org/2001/XMLSchema-instance"

    static func bytes(of value: ErpValue) throws -> [UInt8] {
        if case .absent(let type) = value {
            return Array("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<\(type) xmlns:xsi=\"\(schemaInstance)\" xsi:nil=\"true\"/>".utf8)
        }
        if let scalar = scalarText(value) {
            // XMLCoder stops the process on a root that is not an element with children.
            let root = value.rootName
            return Array("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<\(root) xmlns:xsi=\"\(schemaInstance)\">\(scalar)</\(root)>".utf8)
        }
        let encoder = XMLEncoder()
        let data = try encoder.encode(
            Node(value: value),
            withRootKey: value.rootName,
            rootAttributes: ["xmlns:xsi": schemaInstance],
            header: XMLHeader(version: 1.0, encoding: "utf-8")
        )
        return [UInt8](data)
    }

    /// The text of a scalar answer (`true` of `TestConnectionById`), escaped; nil for the rest.
    private static func scalarText(_ value: ErpValue) -> String? {
        switch value {
        case .bool(let flag): flag ? "true" : "false"
        case .int(let number): String(number)
        case .duration(let interval): interval.xsdDuration
        case .string(let text), .enumeration(_, let text):
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
        case .null, .absent, .list, .object, .map: nil
        }
    }

    /// One value as XMLCoder encodes it: objects and maps as keyed containers in their order,
    /// lists as their items repeated under the item's name.
    private struct Node: Encodable {
        let value: ErpValue

        func encode(to encoder: any Encoder) throws {
            switch value {
            case .null, .absent:
                // Properties that are null are written as `Nil` by their object; nothing else is.
                _ = encoder.container(keyedBy: Key.self)
            case .duration(let interval):
                var container = encoder.singleValueContainer()
                try container.encode(interval.xsdDuration)
            case .bool(let flag):
                var container = encoder.singleValueContainer()
                try container.encode(flag)
            case .int(let number):
                var container = encoder.singleValueContainer()
                try container.encode(number)
            case .string(let text), .enumeration(_, let text):
                var container = encoder.singleValueContainer()
                try container.encode(text)
            case .list(let item, let items):
                var container = encoder.container(keyedBy: Key.self)
                try container.encode(items.map(Node.init), forKey: Key(item))
            case .object(_, let properties), .map(let properties):
                var container = encoder.container(keyedBy: Key.self)
                for property in properties {
                    if property.value == .null {
                        try container.encode(Nil(), forKey: Key(property.name))
                    } else {
                        try container.encode(Node(value: property.value), forKey: Key(property.name))
                    }
                }
            }
        }
    }

    /// `<Name xsi:nil="true"/>`.
    private struct Nil: Encodable, DynamicNodeEncoding {
        static let attribute = "xsi:nil"

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            try container.encode("true", forKey: Key(Self.attribute))
        }

        static func nodeEncoding(for key: any CodingKey) -> XMLEncoder.NodeEncoding {
            key.stringValue == attribute ? .attribute : .element
        }
    }

    private struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }

        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
