import BackroomCore
import Testing

struct MovementPlannerTests {
    @Test func aCountRecordsTheDifferenceFromOnHandAsItStandsAfterTheMovementsBeforeIt() {
        let requests = [
            MovementRequest(product: "A", reason: .sale, change: .quantity(-2), reference: "till-1"),
            MovementRequest(product: "A", reason: .count, change: .counted(5), reference: nil),
            MovementRequest(product: "B", reason: .count, change: .counted(3), reference: nil),
        ]
        let planned = MovementPlanner.plan(requests, onHand: ["A": 10, "B": 3])
        #expect(
            planned
                == .success([
                    .init(product: "A", qty: -2, reason: .sale, reference: "till-1"),
                    .init(product: "A", qty: -3, reason: .count, reference: nil),
                    .init(product: "B", qty: 0, reason: .count, reference: nil),
                ])
        )
    }

    @Test func productsWithoutAStockLineAreNamedOnceEach() {
        let requests = ["X", "A", "X", "Y"].map { MovementRequest(product: $0, reason: .receipt, change: .quantity(1), reference: nil) }
        #expect(MovementPlanner.plan(requests, onHand: ["A": 0]) == .failure(.init(products: ["X", "Y"])))
    }
}
