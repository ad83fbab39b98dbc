import BackroomCore
import Testing

struct ServerKeyTests {
    @Test(arguments: ["CENTRAL", "VALLBLANCA", "store_2-b", String(repeating: "K", count: 32)])
    func acceptsKeysOfTheAllowedAlphabet(_ key: String) throws {
        #expect(try ServerKey(key).value == key)
    }

    @Test(arguments: ["", String(repeating: "K", count: 33), "shop 1", "north/2", "ÅRE"])
    func refusesOtherKeys(_ key: String) {
        #expect(throws: ConfigurationError.self) { try ServerKey(key) }
    }
}
