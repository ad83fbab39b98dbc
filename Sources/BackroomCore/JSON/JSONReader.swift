/// Reads a JSON document (RFC 8259) into a `JSONValue`.
///
/// Request bodies are read on every reservation; a general `Decodable` pass probes each value
/// for one type after another, and each failed probe builds an error, which made reading a
/// small cart the most expensive step of a request. This reader looks at each byte once.
public enum JSONReader {
    public struct SyntaxError: Error, Equatable, CustomStringConvertible {
        public let offset: Int
        public var description: String { "not valid JSON at byte \(offset)" }
    }

    /// Deeper documents are refused rather than risking the stack.
    public static let maximumDepth = 128

    public static func read(_ bytes: some Collection<UInt8>) throws(SyntaxError) -> JSONValue {
        var parser = Parser(bytes: Array(bytes))
        parser.skipWhitespace()
        let value = try parser.value(depth: 0)
        parser.skipWhitespace()
        guard parser.position == parser.bytes.count else { throw SyntaxError(offset: parser.position) }
        return value
    }

    private struct Parser {
        let bytes: [UInt8]
        var position = 0

        init(bytes: [UInt8]) {
            self.bytes = bytes
        }

        mutating func skipWhitespace() {
            while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
        }

        private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

        private func failure() -> SyntaxError { SyntaxError(offset: position) }

        mutating func value(depth: Int) throws(SyntaxError) -> JSONValue {
            guard depth < JSONReader.maximumDepth, let byte = current else { throw failure() }
            switch byte {
            case UInt8(ascii: "{"): return try object(depth: depth)
            case UInt8(ascii: "["): return try array(depth: depth)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"):
                try literal("true")
                return .bool(true)
            case UInt8(ascii: "f"):
                try literal("false")
                return .bool(false)
            case UInt8(ascii: "n"):
                try literal("null")
                return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
            default: throw failure()
            }
        }

        private mutating func literal(_ word: StaticString) throws(SyntaxError) {
            let expected = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
            guard position + expected.count <= bytes.count, bytes[position..<position + expected.count].elementsEqual(expected) else {
                throw failure()
            }
            position += expected.count
        }

        private mutating func object(depth: Int) throws(SyntaxError) -> JSONValue {
            position += 1
            var members: [String: JSONValue] = [:]
            skipWhitespace()
            if current == UInt8(ascii: "}") {
                position += 1
                return .object(members)
            }
            while true {
                skipWhitespace()
                guard current == UInt8(ascii: "\"") else { throw failure() }
                let key = try string()
                skipWhitespace()
                guard current == UInt8(ascii: ":") else { throw failure() }
                position += 1
                skipWhitespace()
                members[key] = try value(depth: depth + 1)
                skipWhitespace()
                switch current {
                case UInt8(ascii: ","): position += 1
                case UInt8(ascii: "}"):
                    position += 1
                    return .object(members)
                default: throw failure()
                }
            }
        }

        private mutating func array(depth: Int) throws(SyntaxError) -> JSONValue {
            position += 1
            var elements: [JSONValue] = []
            skipWhitespace()
            if current == UInt8(ascii: "]") {
                position += 1
                return .array(elements)
            }
            while true {
                skipWhitespace()
                elements.append(try value(depth: depth + 1))
                skipWhitespace()
                switch current {
                case UInt8(ascii: ","): position += 1
                case UInt8(ascii: "]"):
                    position += 1
                    return .array(elements)
                default: throw failure()
                }
            }
        }

        private mutating func string() throws(SyntaxError) -> String {
            position += 1
            var text: [UInt8] = []
            while let byte = current {
                position += 1
                switch byte {
                case UInt8(ascii: "\""):
                    guard let decoded = String(validating: text, as: UTF8.self) else { throw SyntaxError(offset: position - 1) }
                    return decoded
                case UInt8(ascii: "\\"):
                    try escape(into: &text)
                case 0..<0x20:
                    throw SyntaxError(offset: position - 1)
                default:
                    text.append(byte)
                }
            }
            throw failure()
        }

        private mutating func escape(into text: inout [UInt8]) throws(SyntaxError) {
            guard let byte = current else { throw failure() }
            position += 1
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): text.append(byte)
            case UInt8(ascii: "b"): text.append(0x08)
            case UInt8(ascii: "f"): text.append(0x0C)
            case UInt8(ascii: "n"): text.append(0x0A)
            case UInt8(ascii: "r"): text.append(0x0D)
            case UInt8(ascii: "t"): text.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hexQuad()
                if (0xD800..<0xDC00).contains(scalar) {
                    // A high surrogate must be followed by an escaped low one.
                    guard current == UInt8(ascii: "\\"), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "u") else {
                        throw failure()
                    }
                    position += 2
                    let low = try hexQuad()
                    guard (0xDC00..<0xE000).contains(low) else { throw failure() }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                // U+0000 is refused: PostgreSQL cannot hold it in text, so no value may carry it.
                guard scalar != 0, let unicode = Unicode.Scalar(scalar) else { throw failure() }
                text.append(contentsOf: Array(String(Character(unicode)).utf8))
            default:
                throw SyntaxError(offset: position - 1)
            }
        }

        private mutating func hexQuad() throws(SyntaxError) -> UInt32 {
            guard position + 4 <= bytes.count else { throw failure() }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[position]
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: throw failure()
                }
                value = value << 4 | UInt32(digit)
                position += 1
            }
            return value
        }

        private mutating func number() throws(SyntaxError) -> JSONValue {
            let start = position
            if current == UInt8(ascii: "-") { position += 1 }
            guard let first = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { throw failure() }
            if first == UInt8(ascii: "0") {
                position += 1
            } else {
                skipDigits()
            }
            var integral = true
            if current == UInt8(ascii: ".") {
                integral = false
                position += 1
                guard skipRequiredDigits() else { throw failure() }
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                integral = false
                position += 1
                if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
                guard skipRequiredDigits() else { throw failure() }
            }
            let text = String(decoding: bytes[start..<position], as: UTF8.self)
            if integral, let integer = Int64(text) { return .integer(integer) }
            // A number beyond a double's range would be infinite, which JSON cannot write back.
            guard let double = Double(text), double.isFinite else { throw SyntaxError(offset: start) }
            return .number(double)
        }

        private mutating func skipDigits() {
            while let byte = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { position += 1 }
        }

        private mutating func skipRequiredDigits() -> Bool {
            let start = position
            skipDigits()
            return position > start
        }
    }
}
