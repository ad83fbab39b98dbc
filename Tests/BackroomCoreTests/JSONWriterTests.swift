import BackroomCore
import Testing

struct JSONWriterTests {
    static func text(_ value: JSONValue) -> String {
        String(decoding: JSONWriter.bytes(of: value), as: UTF8.self)
    }

    @Test func writesKeysSortedAndWithoutSpaces() {
        let value = JSONValue.object([
            "statusCode": .integer(201), "data": .object(["resvId": .integer(7), "items": .array([])]),
            "errors": .array([]), "exceptions": .null,
        ])
        #expect(Self.text(value) == #"{"data":{"items":[],"resvId":7},"errors":[],"exceptions":null,"statusCode":201}"#)
    }

    @Test func escapesOnlyWhatJSONRequires() {
        let value = JSONValue.string("a/b \"q\" \\ é😀 \n\r\t\u{1}\u{1f}")
        #expect(Self.text(value) == #""a/b \"q\" \\ é😀 \n\r\t\u0001\u001f""#)
    }

    @Test func writesEveryKindOfValue() {
        let value = JSONValue.array([.null, .bool(true), .bool(false), .integer(-9_223_372_036_854_775_808), .number(2.5), .number(.nan)])
        #expect(Self.text(value) == "[null,true,false,-9223372036854775808,2.5,null]")
    }

    @Test func whatItWritesReadsBackAsTheSameValue() throws {
        let value = JSONValue.object([
            "text": .string("line\none \u{7f} \"quoted\" ✓"), "list": .array([.integer(1), .object(["x": .null])]),
            "empty": .object([:]), "flag": .bool(false),
        ])
        #expect(try JSONReader.read(JSONWriter.bytes(of: value)) == value)
    }
}
