import BackroomCore
import Testing

struct SyncPageTests {
    static let norte = try! ServerKey("NORTE")
    static let sur = try! ServerKey("SUR")

    static func movement(_ origin: ServerKey, _ sequence: Int64, shop: Int = 10010) -> ReplicatedMovement {
        ReplicatedMovement(origin: origin, sequence: sequence, shop: shop, product: "A", qty: 1, reason: .receipt, reference: nil, createdAt: 0)
    }

    @Test func aPageThatIsNotFullStepsEveryOriginToItsHead() {
        let page = SyncPage(
            after: SyncCursor([.central: 1]),
            heads: [.central: 4, Self.norte: 9, Self.sur: 2],
            matching: [Self.movement(.central, 3), Self.movement(Self.norte, 7)],
            limit: 3
        )
        #expect(page.movements == [Self.movement(.central, 3), Self.movement(Self.norte, 7)])
        #expect(page.cursor.encoded == "CENTRAL:4,NORTE:9,SUR:2" && !page.more, "movements of other shops are stepped over")
    }

    @Test func aFullPageEndsAtItsLastMovement() {
        let page = SyncPage(
            after: SyncCursor([Self.sur: 1]),
            heads: [.central: 4, Self.norte: 9, Self.sur: 2],
            matching: [Self.movement(.central, 3), Self.movement(Self.norte, 7)],
            limit: 2
        )
        #expect(page.more)
        #expect(page.cursor.encoded == "CENTRAL:4,NORTE:7,SUR:1", "the origins after the last movement are not looked past")
    }

    @Test func nothingNewLeavesTheCursorAlone() {
        let cursor = SyncCursor([.central: 4])
        let page = SyncPage(after: cursor, heads: [:], matching: [], limit: 10)
        #expect(page.cursor == cursor && page.movements.isEmpty && !page.more)
        #expect(SyncPage(after: cursor, heads: [.central: 2], matching: [], limit: 10).cursor == cursor, "never backwards")
    }
}
