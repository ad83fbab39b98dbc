import BackroomCore
import Testing

struct SyncCursorTests {
    static let norte = try! ServerKey("NORTE")

    static func movement(_ origin: ServerKey, _ sequence: Int64) -> ReplicatedMovement {
        ReplicatedMovement(origin: origin, sequence: sequence, shop: 1, product: "A", qty: 1, reason: .receipt, reference: nil, createdAt: 0)
    }

    @Test func aCursorAdvancesPerOriginAndReadsBackAsWritten() throws {
        let cursor = SyncCursor().advanced(past: [Self.movement(.central, 4), Self.movement(Self.norte, 2), Self.movement(.central, 9)])
        #expect(cursor.encoded == "CENTRAL:9,NORTE:2")
        #expect(SyncCursor(encoded: cursor.encoded) == cursor)
        #expect(SyncCursor(encoded: "") == SyncCursor())
        #expect(cursor.advanced(past: [Self.movement(.central, 3)]) == cursor, "never backwards")
    }

    @Test(arguments: ["CENTRAL", "CENTRAL:x", "CENTRAL:-1", "bad key!:1", "A:1:2"])
    func aMalformedCursorIsRefused(_ text: String) {
        #expect(SyncCursor(encoded: text) == nil)
    }

    @Test func movementsTravelAsJSONAndBack() throws {
        let movement = ReplicatedMovement(
            origin: Self.norte, sequence: 7, shop: 10010, product: "First-Test", qty: -2, reason: .sale, reference: "till-3/991", createdAt: 123
        )
        let body = JSONValue.object(["movements": .array([movement.json])])
        #expect(ReplicatedMovement.parseList(try JSONReader.read(JSONWriter.bytes(of: body))) == [movement])
        #expect(ReplicatedMovement.parseList(.object(["movements": .array([.object(["origin": .string("NORTE")])])])) == nil)
    }
}
