/// An answer of the ErpSync agent: like JSON, but its properties keep their order (the XML
/// form lists them in the JSON order) and objects and lists know their type names, which
/// name the XML elements.
public indirect enum ErpValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case string(String)
    /// A .NET enum member (`ErpSyncResponseCode`'s `NoError`): a string in JSON, in XML the
    /// member's name under a root element named for the enum.
    case enumeration(type: String, String)
    /// A .NET `TimeSpan`: `00:05:00` in JSON, an XSD duration (`PT5M`) in XML.
    case duration(SyncInterval)
    /// An object answer that is not there (a connection not found): JSON `null`, in XML the
    /// type's root element with `xsi:nil`.
    case absent(type: String)
    /// Items each written in XML as an element named `item` (`ErpConnection`, `string`, `int`).
    case list(item: String, [ErpValue])
    /// A typed object (`ErpSyncEngineStatus`, `TableRight`), its properties in order.
    case object(type: String, [ErpProperty])
    /// A dictionary such as `FieldProperties`, whose keys are data, not a type's properties.
    case map([ErpProperty])

    /// The XML root element's name for this value as a whole answer.
    public var rootName: String {
        switch self {
        case .object(let type, _), .absent(let type), .enumeration(let type, _): type
        // As .NET names arrays: `ArrayOfstring`, `ArrayOfErpConnection`.
        case .list(let item, _): "ArrayOf\(item)"
        case .bool: "boolean"
        case .int: "int"
        case .string, .null, .map: "string"
        case .duration: "duration"
        }
    }

    public var jsonBytes: [UInt8] {
        var output: [UInt8] = []
        write(to: &output)
        return output
    }

    private func write(to output: inout [UInt8]) {
        switch self {
        case .null, .absent: output += "null".utf8
        case .duration(let interval): JSONWriter.write(interval.description, to: &output)
        case .bool(let flag): output += (flag ? "true" : "false").utf8
        case .int(let number): output += String(number).utf8
        case .string(let text), .enumeration(_, let text): JSONWriter.write(text, to: &output)
        case .list(_, let items):
            output.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                item.write(to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(_, let properties), .map(let properties):
            output.append(UInt8(ascii: "{"))
            for (index, property) in properties.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                JSONWriter.write(property.name, to: &output)
                output.append(UInt8(ascii: ":"))
                property.value.write(to: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }
}

public struct ErpProperty: Sendable, Equatable {
    public let name: String
    public let value: ErpValue

    public init(_ name: String, _ value: ErpValue) {
        self.name = name
        self.value = value
    }
}
