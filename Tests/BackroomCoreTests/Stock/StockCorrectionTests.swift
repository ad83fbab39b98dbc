import BackroomCore
import Testing

struct StockCorrectionTests {
    static let a = ProductKey(shop: 1, product: "A")
    static let b = ProductKey(shop: 1, product: "B")

    @Test func aCountRecordsTheDifferenceAndNothingWhenItAgrees() {
        let changes = StockCorrection.plan(counts: [(Self.a, 7), (Self.b, 5)], onHand: [Self.a: 10, Self.b: 5])
        #expect(changes == [.init(key: Self.a, qty: -3, reason: .count)])
    }

    @Test func aLineCountedTwiceIsCountedAgainstTheFirstCountAndANewLineAgainstNothing() {
        let changes = StockCorrection.plan(counts: [(Self.a, 7), (Self.a, 9), (Self.b, 2)], onHand: [Self.a: 10])
        #expect(
            changes == [
                .init(key: Self.a, qty: -3, reason: .count), .init(key: Self.a, qty: 2, reason: .count), .init(key: Self.b, qty: 2, reason: .count),
            ]
        )
    }

    @Test func goodsReceivedComeAfterTheCounts() {
        let file = ErpImport(
            counts: [.init(shop: 1, product: "A", quantity: 4, line: 2)],
            receipts: [.init(shop: 1, product: "A", quantity: 3, line: 2)]
        )
        #expect(file.movements(onHand: [Self.a: 1]) == [.init(key: Self.a, qty: 3, reason: .count), .init(key: Self.a, qty: 3, reason: .receipt)])
        #expect(file.countedKeys == [Self.a])
    }

    @Test func anIdempotencyKeyReplaysOnlyTheSameRequest() {
        let request = IdempotentRequest(claim: IdempotencyClaim(userID: 1, key: "k"), request: "same")
        #expect(request.replay(("same", 41)) == 41)
        #expect(request.replay(("other", 41)) == nil)
    }
}
