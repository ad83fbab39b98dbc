/// XML as the agent's parameters, read by hand: an element with children is an object, or a
/// list when its children all share one name (`<ErpConnectionIds><int>3</int><int>1</int>
/// </ErpConnectionIds>`); an element without is its text; `xsi:nil="true"` is null. Names lose
/// their namespace prefix. Comments, processing instructions, CDATA and character references
/// are read; a document type declaration is refused, so no entity is ever expanded (and
/// FoundationXML, which leaked on every malformed body, is not needed).
enum XMLParameters {
    static let maximumDepth = 64

    private final class Node {
        let name: String
        var children: [Node] = []
        var text: [UInt8] = []
        var isNil = false

        init(name: String) { self.name = name }

        var value: JSONValue {
            if isNil { return .null }
            guard !children.isEmpty else { return .string(String(decoding: text, as: UTF8.self)) }
            if children.count > 1, Set(children.map(\.name)).count == 1 { return .array(children.map(\.value)) }
            return .object(Dictionary(children.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last }))
        }
    }

    struct Malformed: Error {}

    /// The root's children, whatever the root is called.
    static func read(_ bytes: [UInt8]) throws(Malformed) -> [String: JSONValue] {
        guard String(validating: bytes, as: UTF8.self) != nil else { throw Malformed() }
        var reader = Reader(bytes: bytes)
        let root = try reader.document()
        return Dictionary(root.children.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last })
    }

    private struct Reader {
        let bytes: [UInt8]
        var position = 0

        init(bytes: [UInt8]) {
            self.bytes = bytes
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
        }

        mutating func document() throws(Malformed) -> Node {
            try skipMisc()
            guard peek(0) == UInt8(ascii: "<") else { throw Malformed() }
            let root = try element()
            try skipMisc()
            guard position == bytes.count else { throw Malformed() }
            return root
        }

        /// White space, comments and processing instructions, before and after the root.
        private mutating func skipMisc() throws(Malformed) {
            while true {
                skipSpace()
                if starts("<?") {
                    try skip(past: "?>")
                } else if starts("<!--") {
                    try skip(past: "-->")
                } else {
                    return
                }
            }
        }

        /// An element, read with a stack of open ones rather than by recursion.
        private mutating func element() throws(Malformed) -> Node {
            var open: [Node] = []
            var root: Node?
            repeat {
                if starts("</") {
                    position += 2
                    let name = try self.name()
                    skipSpace()
                    guard take(UInt8(ascii: ">")), let closed = open.popLast(), closed.name == Self.local(name) else { throw Malformed() }
                } else if starts("<!--") {
                    try skip(past: "-->")
                } else if starts("<?") {
                    try skip(past: "?>")
                } else if starts("<![CDATA[") {
                    position += 9
                    let start = position
                    try skip(past: "]]>")
                    guard let current = open.last else { throw Malformed() }
                    current.text += bytes[start..<(position - 3)]
                } else if starts("<!") {
                    throw Malformed()
                } else if take(UInt8(ascii: "<")) {
                    let node = Node(name: Self.local(try name()))
                    let selfClosing = try attributes(of: node)
                    guard open.count < XMLParameters.maximumDepth else { throw Malformed() }
                    if let parent = open.last { parent.children.append(node) } else { root = node }
                    if !selfClosing { open.append(node) }
                } else {
                    // The end of the input with an element still open.
                    guard let current = open.last, position < bytes.count else { throw Malformed() }
                    current.text += try text()
                }
            } while !open.isEmpty
            guard let root else { throw Malformed() }
            return root
        }

        /// Reads the attributes up to `>` or `/>`; true for `/>`.
        private mutating func attributes(of node: Node) throws(Malformed) -> Bool {
            while true {
                let spaced = skipSpace()
                if take(UInt8(ascii: ">")) { return false }
                if starts("/>") {
                    position += 2
                    return true
                }
                guard spaced else { throw Malformed() }
                let name = try self.name()
                skipSpace()
                guard take(UInt8(ascii: "=")) else { throw Malformed() }
                skipSpace()
                guard let quote = peek(0), quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else { throw Malformed() }
                position += 1
                var value: [UInt8] = []
                while let byte = peek(0), byte != quote {
                    guard byte != UInt8(ascii: "<") else { throw Malformed() }
                    if byte == UInt8(ascii: "&") {
                        value += try reference()
                    } else {
                        value.append(byte)
                        position += 1
                    }
                }
                guard take(quote) else { throw Malformed() }
                if Self.local(name) == "nil", value == Array("true".utf8) { node.isNil = true }
            }
        }

        /// Text up to the next `<`, references resolved.
        private mutating func text() throws(Malformed) -> [UInt8] {
            var text: [UInt8] = []
            while let byte = peek(0), byte != UInt8(ascii: "<") {
                if byte == UInt8(ascii: "&") {
                    text += try reference()
                } else {
                    text.append(byte)
                    position += 1
                }
            }
            return text
        }

        /// `&lt;` and the four others, or `&#N;` / `&#xN;`; any other entity is refused.
        private mutating func reference() throws(Malformed) -> [UInt8] {
            guard let end = bytes[position...].firstIndex(of: UInt8(ascii: ";")), end - position <= 12 else { throw Malformed() }
            let body = String(decoding: bytes[(position + 1)..<end], as: UTF8.self)
            position = end + 1
            switch body {
            case "lt": return Array("<".utf8)
            case "gt": return Array(">".utf8)
            case "amp": return Array("&".utf8)
            case "quot": return Array("\"".utf8)
            case "apos": return Array("'".utf8)
            default:
                let digits = body.dropFirst()
                let code: UInt32? =
                    if body.hasPrefix("#x") { UInt32(digits.dropFirst(), radix: 16) } else if body.hasPrefix("#") { UInt32(digits) } else { nil }
                guard let code, let scalar = Unicode.Scalar(code), code != 0 else { throw Malformed() }
                return Array(String(Character(scalar)).utf8)
            }
        }

        private mutating func name() throws(Malformed) -> String {
            let start = position
            while let byte = peek(0), !Self.ends(byte) { position += 1 }
            guard position > start else { throw Malformed() }
            return String(decoding: bytes[start..<position], as: UTF8.self)
        }

        private static func ends(_ byte: UInt8) -> Bool {
            [
                UInt8(ascii: " "), 0x09, 0x0A, 0x0D, UInt8(ascii: ">"), UInt8(ascii: "/"), UInt8(ascii: "="), UInt8(ascii: "<"), UInt8(ascii: "&"),
                UInt8(ascii: "\""), UInt8(ascii: "'"),
            ].contains(byte)
        }

        /// A name without its namespace prefix.
        private static func local(_ name: String) -> String {
            name.split(separator: ":", maxSplits: 1).last.map(String.init) ?? name
        }

        @discardableResult
        private mutating func skipSpace() -> Bool {
            let start = position
            while let byte = peek(0), [UInt8(ascii: " "), 0x09, 0x0A, 0x0D].contains(byte) { position += 1 }
            return position > start
        }

        private mutating func skip(past end: String) throws(Malformed) {
            let marker = Array(end.utf8)
            while position + marker.count <= bytes.count {
                if bytes[position..<(position + marker.count)].elementsEqual(marker) {
                    position += marker.count
                    return
                }
                position += 1
            }
            throw Malformed()
        }

        private func starts(_ prefix: String) -> Bool {
            bytes[position...].starts(with: prefix.utf8)
        }

        private func peek(_ offset: Int) -> UInt8? {
            position + offset < bytes.count ? bytes[position + offset] : nil
        }

        private mutating func take(_ byte: UInt8) -> Bool {
            guard peek(0) == byte else { return false }
            position += 1
            return true
        }
    }
}
