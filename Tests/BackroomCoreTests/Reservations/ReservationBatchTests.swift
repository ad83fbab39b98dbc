import BackroomCore
import Testing

struct ReservationBatchTests {
    /// Keys, then reservations, then stock: the one order every writer locks in.
    @Test func aBatchAsksForWhatItLocksInTheOneOrderThenPlansAndAnswers() throws {
        let claim = IdempotencyClaim(userID: 1, key: "k")
        let create = ReservationPlannerTests.create([("B", 1), ("A", 2)], claim: claim)
        let held = ReservationPlannerTests.reservation(7, [("C", 1)])
        var batch = ReservationBatch([create, .cancel(id: 7), .commit(id: 9)], at: ReservationPlannerTests.now)

        guard case .readKeysAndShops(let claims, let shops) = batch.next() else {
            Issue.record("not keys first")
            return
        }
        #expect(claims == [claim] && shops == [ReservationPlannerTests.shop])
        batch.keysAndShopsRead(answered: [:], shops: [ReservationPlannerTests.shop])

        guard case .readReservations(let ids) = batch.next() else {
            Issue.record("not reservations second")
            return
        }
        #expect(ids == [7, 9])
        batch.reservationsRead([7: held])

        guard case .readStock(let keys) = batch.next() else {
            Issue.record("not stock third")
            return
        }
        #expect(keys == ["A", "B", "C"].map(ReservationPlannerTests.key))
        batch.stockRead(
            Dictionary(uniqueKeysWithValues: keys.map { ($0, ProductStock(onHand: 10, blocked: 0, reserved: $0.product == "C" ? 1 : 0)) })
        )

        guard case .persist(let plan, let was) = batch.next() else {
            Issue.record("no plan to persist")
            return
        }
        #expect(plan.created.count == 1 && was == [7: held])
        batch.persisted(createdIDs: [41])

        guard case .done(let results) = batch.next() else {
            Issue.record("not done")
            return
        }
        #expect(results.count == 3)
        #expect(results[1] == .cancelled && results[2] == .failed(.noSuchReservation(9)))
        guard case .created(let snapshot) = results[0] else {
            Issue.record("not created: \(results[0])")
            return
        }
        #expect(snapshot.id == 41)
    }
}
