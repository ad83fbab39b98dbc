import BackroomCore
import Testing

struct JSONReaderTests {
    static func read(_ text: String) throws -> JSONValue {
        try JSONReader.read(Array(text.utf8))
    }

    @Test func aNulCharacterIsRefusedForNoDatabaseCanHoldIt() throws {
        #expect(throws: JSONReader.SyntaxError.self) { try JSONReader.read(Array(#"{"id": "A\u0000B"}"#.utf8)) }
        #expect(try JSONReader.read(Array(#""A\u0001B""#.utf8)) == .string("A\u{1}B"))
    }

    @Test func readsEveryKindOfValue() throws {
        let value = try Self.read(
            #" {"a": [1, -2, 3.5, 1e3, true, false, null, "x"], "b": {}, "c": [], "d": "q\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00"} "#
        )
        #expect(
            value
                == .object([
                    "a": .array([.integer(1), .integer(-2), .number(3.5), .number(1000), .bool(true), .bool(false), .null, .string("x")]),
                    "b": .object([:]), "c": .array([]), "d": .string("q\"\\/\u{8}\u{c}\n\r\té😀"),
                ])
        )
    }

    @Test func numbersKeepIntegersApartAndLargeOnesAsDoubles() throws {
        #expect(try Self.read("0") == .integer(0))
        #expect(try Self.read("-0") == .integer(0))
        #expect(try Self.read("9223372036854775807") == .integer(.max))
        #expect(try Self.read("99999999999999999999") == .number(1e20))
        #expect(throws: JSONReader.SyntaxError.self, "beyond a double: infinite, found by fuzzing") { try Self.read("7e7777777") }
        #expect(throws: JSONReader.SyntaxError.self) { try Self.read("-1e400") }
        #expect(try Self.read("2.0") == .number(2))
        #expect(try Self.read("\"2\"") == .string("2"))
    }

    @Test(arguments: [
        "", " ", "{", "}", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{a: 1}", "[1 2]", "01", "1.", ".5", "-", "1e", "+1",
        "tru", "nul", "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\ud83d\"", "\"a\nb\"", "1 2", "[1]x", "NaN",
    ])
    func refusesWhatIsNotJSON(_ text: String) {
        #expect(throws: JSONReader.SyntaxError.self) { try Self.read(text) }
    }

    @Test func refusesInvalidUTF8AndDeepNesting() {
        #expect(throws: JSONReader.SyntaxError.self) { try JSONReader.read([0x22, 0xFF, 0x22]) }
        let deep = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect(throws: JSONReader.SyntaxError.self) { try Self.read(deep) }
        let fine = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect((try? Self.read(fine)) != nil)
    }
}
