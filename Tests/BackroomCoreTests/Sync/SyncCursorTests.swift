import BackroomCore
import Testing

struct SyncCursorTests {
    static let norte = try! ServerKey("NORTE")

    @Test func aCursorAdvancesPerOriginAndReadsBackAsWritten() throws {
        let cursor = SyncCursor().advanced(to: 4, of: .central).advanced(to: 2, of: Self.norte).advanced(to: 9, of: .central)
        #expect(cursor.encoded == "CENTRAL:9,NORTE:2")
        #expect(SyncCursor(encoded: cursor.encoded) == cursor)
        #expect(SyncCursor(encoded: "") == SyncCursor())
        #expect(cursor.advanced(to: 3, of: .central) == cursor, "never backwards")
    }

    @Test(arguments: ["CENTRAL", "CENTRAL:x", "CENTRAL:-1", "bad key!:1", "A:1:2"])
    func aMalformedCursorIsRefused(_ text: String) {
        #expect(SyncCursor(encoded: text) == nil)
    }

    @Test func movementsTravelAsJSONAndBack() throws {
        let movement = ReplicatedMovement(
            origin: Self.norte,
            sequence: 7,
            shop: 10010,
            product: "First-Test",
            qty: -2,
            reason: .sale,
            reference: "till-3/991",
            createdAt: 123
        )
        let body = JSONValue.object(["movements": .array([movement.json])])
        #expect(ReplicatedMovement.parseList(try JSONReader.read(JSONWriter.bytes(of: body))) == [movement])
        #expect(ReplicatedMovement.parseList(.object(["movements": .array([.object(["origin": .string("NORTE")])])])) == nil)
    }
}
