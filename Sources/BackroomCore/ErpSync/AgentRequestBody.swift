import Foundation

/// The parameters of an agent call as the original accepts them: a JSON object, XML (the root's
/// PascalCase children; the root's own name is not checked), or a form. XML and form values
/// arrive as text, which `AgentParameters` reads as the types the methods want.
public enum AgentRequestBody {
    public enum Format: Sendable, Equatable {
        case json, xml, form
    }

    public enum Problem: Error, Equatable {
        case unsupportedMediaType
        case malformed
    }

    /// The format a `Content-Type` names; nil for one the agent does not take. No header at all
    /// is read as JSON, as the original's clients that send bare bodies expect.
    public static func format(of contentType: String?) -> Format? {
        guard let contentType else { return .json }
        let mediaType = contentType.split(separator: ";").first.map { $0.trimmingOptionalWhitespace.lowercased() } ?? ""
        switch mediaType {
        case "application/json", "text/json": return .json
        case "application/xml", "text/xml": return .xml
        case "application/x-www-form-urlencoded": return .form
        default: return mediaType.hasPrefix("application/") && mediaType.hasSuffix("+json") ? .json : nil
        }
    }

    /// The parameters as an object; an empty body (or only white space) is no parameters.
    public static func parse(_ bytes: [UInt8], contentType: String?) throws(Problem) -> JSONValue {
        guard bytes.contains(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) else { return .object([:]) }
        switch format(of: contentType) {
        case nil: throw .unsupportedMediaType
        case .json?:
            guard case .object(let members)? = try? JSONReader.read(bytes) else { throw .malformed }
            return .object(members)
        case .form?:
            // curl -d sends JSON labelled as a form; no form's first field starts with `{`.
            if bytes.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) == UInt8(ascii: "{"),
                case .object(let members)? = try? JSONReader.read(bytes)
            {
                return .object(members)
            }
            return try form(bytes)
        case .xml?:
            guard let members = try? XMLParameters.read(bytes) else { throw .malformed }
            return .object(members)
        }
    }

    private static func form(_ bytes: [UInt8]) throws(Problem) -> JSONValue {
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .malformed }
        var members: [String: JSONValue] = [:]
        for pair in text.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decoded(_ part: Substring) throws(Problem) -> String {
                guard let value = part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding else { throw .malformed }
                return value
            }
            let name = try decoded(parts[0])
            guard !name.isEmpty else { throw .malformed }
            members[name] = .string(parts.count > 1 ? try decoded(parts[1]) : "")
        }
        return .object(members)
    }
}
