import BackroomCore
import Testing

struct OriginRecoveryTests {
    static let store = try! ServerKey("NORTE")

    static func sale(_ sequence: Int64, at time: Int64, reference: String? = nil) -> ReplicatedMovement {
        ReplicatedMovement(origin: store, sequence: sequence, shop: 10, product: "P", qty: -1, reason: .sale, reference: reference, createdAt: time)
    }

    @Test func nothingMovesWhenCentralHoldsWhatTheStorePushed() {
        let plan = OriginRecovery.plan(pushed: 5, centralHolds: 5, central: [], local: [])
        #expect(plan == OriginRecovery(renumberFrom: nil, shift: 0, missing: [], pushed: 5))
        #expect(!plan.changesMovements)
    }

    @Test func aPushWhoseAnswerWasLostOnlyMovesTheMark() {
        // Central applied 6 and 7, the store crashed before it noted so: the same movements.
        let movements = [Self.sale(6, at: 60), Self.sale(7, at: 70, reference: "")]
        let plan = OriginRecovery.plan(
            pushed: 5,
            centralHolds: 7,
            central: movements,
            local: [Self.sale(6, at: 60), Self.sale(7, at: 70, reference: nil)]
        )
        #expect(plan == OriginRecovery(renumberFrom: nil, shift: 0, missing: [], pushed: 7), "an empty reference is no reference")
    }

    @Test func aRestoredStoreTakesBackWhatCentralHoldsAndMovesItsNewSalesPastIt() {
        // The copy held 1...3 (pushed 2); 4...8 were sold and pushed since; the restored store sold 4...7 anew.
        let central = (3...8).map { Self.sale($0, at: $0 * 10) }
        let local = [Self.sale(3, at: 30)] + (4...7).map { Self.sale($0, at: 1000 + $0) }
        let plan = OriginRecovery.plan(pushed: 2, centralHolds: 8, central: central, local: local)
        #expect(plan.renumberFrom == 4)
        #expect(plan.shift == 5, "4...7 become 9...12")
        #expect(plan.missing == (4...8).map { Self.sale($0, at: $0 * 10) })
        #expect(plan.pushed == 8)
    }

    @Test func aRestoredStoreThatSoldNothingYetTakesBackAndStillMovesWhatItSellsMeanwhile() {
        let plan = OriginRecovery.plan(pushed: 3, centralHolds: 6, central: (4...6).map { Self.sale($0, at: $0) }, local: [])
        #expect(plan.renumberFrom == 4, "a sale numbered 4 while this runs must not meet central's 4")
        #expect(plan.shift == 3)
        #expect(plan.missing.map(\.sequence) == [4, 5, 6])
    }

    @Test func aStoreSequenceCentralLacksBelowItsHighestIsMovedToo() {
        // Numbers with a gap at central (a store that skipped some): the store's 5 is not central's.
        let plan = OriginRecovery.plan(
            pushed: 3,
            centralHolds: 9,
            central: [Self.sale(4, at: 4), Self.sale(9, at: 9)],
            local: [Self.sale(4, at: 4), Self.sale(5, at: 500)]
        )
        #expect(plan.renumberFrom == 5)
        #expect(plan.shift == 5)
        #expect(plan.missing.map(\.sequence) == [9])
    }

    @Test func aCentralRestoredFromAnOlderCopyIsPushedToAgainFromWhatItHolds() {
        let plan = OriginRecovery.plan(pushed: 9, centralHolds: 4, central: [], local: [])
        #expect(plan == OriginRecovery(renumberFrom: nil, shift: 0, missing: [], pushed: 4))
    }
}
