import BackroomCore
import Testing

struct SyncPageTests {
    static let norte = try! ServerKey("NORTE")

    static func movement(_ origin: ServerKey, _ sequence: Int64, shop: Int) -> ReplicatedMovement {
        ReplicatedMovement(origin: origin, sequence: sequence, shop: shop, product: "A", qty: 1, reason: .receipt, reference: nil, createdAt: 0)
    }

    @Test func aPageKeepsItsShopsMovementsAndStepsPastTheOthers() {
        var page = SyncPage(shops: [10010], after: SyncCursor(), limit: 3)
        page.add(scanned: [Self.movement(.central, 1, shop: 10010), Self.movement(.central, 2, shop: 10020)], of: .central)
        #expect(!page.more && page.budget == 1)
        page.add(scanned: [Self.movement(Self.norte, 5, shop: 10020)], of: Self.norte)
        #expect(page.more)
        #expect(page.movements == [Self.movement(.central, 1, shop: 10010)])
        #expect(page.cursor.encoded == "CENTRAL:2,NORTE:5")
        page.add(scanned: [], of: Self.norte)
        #expect(page.cursor.encoded == "CENTRAL:2,NORTE:5", "nothing scanned, nothing moved")
    }
}
