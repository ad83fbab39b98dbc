import BackroomCore
import Testing

struct ErpValueTests {
    @Test func jsonKeepsThePropertiesInTheirOrder() {
        let value = ErpValue.object(
            type: "T",
            [
                ErpProperty("Zeta", .int(1)), ErpProperty("Alpha", .null),
                ErpProperty("Mid", .list(item: "string", [.string("a\"b"), .bool(false)])),
                ErpProperty("Map", .map([ErpProperty("b", .string("x")), ErpProperty("a", .string("y"))])),
            ]
        )
        #expect(String(decoding: value.jsonBytes, as: UTF8.self) == #"{"Zeta":1,"Alpha":null,"Mid":["a\"b",false],"Map":{"b":"x","a":"y"}}"#)
    }

    @Test func rootsAreNamedForTheirType() {
        #expect(ErpValue.object(type: "PluginResponse", []).rootName == "PluginResponse")
        #expect(ErpValue.list(item: "ErpConnection", []).rootName == "ArrayOfErpConnection")
        #expect(ErpValue.list(item: "string", []).rootName == "ArrayOfstring")
        #expect(ErpValue.bool(true).rootName == "boolean")
    }
}
