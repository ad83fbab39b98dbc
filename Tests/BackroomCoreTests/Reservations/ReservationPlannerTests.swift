import BackroomCore
import Testing

struct ReservationPlannerTests {
    typealias Planner = ReservationPlanner
    static let now: Int64 = 1_000_000
    static let shop = 10010

    static func key(_ product: String) -> ProductKey { ProductKey(shop: shop, product: product) }

    static func snapshot(
        _ stock: [String: ProductStock] = ["A": .init(onHand: 100, blocked: 0, reserved: 0), "B": .init(onHand: 5, blocked: 0, reserved: 0)],
        reservations: [Reservation] = [],
        answered: [IdempotencyClaim: (request: String, answer: ReservationSnapshot)] = [:]
    ) -> Planner.Snapshot {
        Planner.Snapshot(
            stock: Dictionary(uniqueKeysWithValues: stock.map { (key($0.key), $0.value) }),
            shops: [shop],
            reservations: Dictionary(uniqueKeysWithValues: reservations.map { ($0.id, $0) }),
            answeredKeys: answered
        )
    }

    static func create(
        _ lines: [(String, Int64)],
        type: ReservationType = .complete,
        lifetime: Int64 = 600,
        claim: IdempotencyClaim? = nil
    ) -> ReservationCommand {
        .create(
            shop: shop,
            request: ReservationRequest(lifetime: lifetime, type: type, lines: lines.map { ReservationLine(product: $0.0, qty: $0.1) }),
            idempotency: claim
        )
    }

    static func reservation(
        _ id: Int64,
        _ lines: [(String, Int64)],
        state: ReservationState = .active,
        validUntil: Int64 = now + 60_000
    ) -> Reservation {
        Reservation(
            id: id,
            shop: shop,
            type: .complete,
            state: state,
            lifetime: 60,
            validUntil: validUntil,
            lines: lines.map { ReservationLine(product: $0.0, qty: $0.1) }
        )
    }

    @Test func aCompleteReservationHoldsItsLinesUntilItsEnd() {
        let plan = Planner.plan([Self.create([("A", 2), ("B", 5)])], given: Self.snapshot(), now: Self.now)
        #expect(plan.outcomes == [.created(0)])
        #expect(plan.created[0].lines == [ReservationLine(product: "A", qty: 2), ReservationLine(product: "B", qty: 5)])
        #expect(plan.created[0].validUntil == Self.now + 600_000)
        #expect(
            plan.bucketDeltas == [
                .init(product: Self.key("A"), expiresAt: Self.now + 600_000): 2,
                .init(product: Self.key("B"), expiresAt: Self.now + 600_000): 5,
            ]
        )
    }

    @Test func aShortCompleteReservationGetsNothingAndSaysWhatIsShort() {
        let plan = Planner.plan([Self.create([("A", 2), ("B", 6)])], given: Self.snapshot(), now: Self.now)
        #expect(plan.outcomes == [.failed(.notEnoughStock([.init(product: "B", requested: 6, available: 5)]))])
        #expect(plan.created.isEmpty)
        #expect(plan.bucketDeltas.isEmpty)
    }

    @Test func anUnknownProductFailsACompleteReservation() {
        let plan = Planner.plan([Self.create([("A", 1), ("Nope", 1)])], given: Self.snapshot(), now: Self.now)
        #expect(plan.outcomes == [.failed(.unknownProducts(["Nope"]))])
    }

    @Test func aPartlyReservationTakesWhatThereIsAndLeavesOutTheRest() {
        let stock: [String: ProductStock] = [
            "A": .init(onHand: 100, blocked: 0, reserved: 0), "B": .init(onHand: 5, blocked: 2, reserved: 1),
            "Sold-Out": .init(onHand: 0, blocked: 0, reserved: 0),
        ]
        let plan = Planner.plan(
            [Self.create([("A", 3), ("B", 6), ("Sold-Out", 1), ("Nope", 1)], type: .partly)],
            given: Self.snapshot(stock),
            now: Self.now
        )
        #expect(plan.outcomes == [.created(0)])
        #expect(plan.created[0].lines == [ReservationLine(product: "A", qty: 3), ReservationLine(product: "B", qty: 2)])
    }

    @Test func aPartlyReservationThatGetsNothingFails() {
        let plan = Planner.plan(
            [Self.create([("B", 1)], type: .partly)],
            given: Self.snapshot(["B": .init(onHand: 5, blocked: 5, reserved: 0)]),
            now: Self.now
        )
        #expect(plan.outcomes == [.failed(.notEnoughStock([.init(product: "B", requested: 1, available: 0)]))])
    }

    @Test func commandsOfOneBatchSeeWhatTheOnesBeforeReserved() {
        let plan = Planner.plan([Self.create([("B", 3)]), Self.create([("B", 3)]), Self.create([("B", 2)])], given: Self.snapshot(), now: Self.now)
        #expect(plan.outcomes == [.created(0), .failed(.notEnoughStock([.init(product: "B", requested: 3, available: 2)])), .created(1)])
        #expect(plan.bucketDeltas[.init(product: Self.key("B"), expiresAt: Self.now + 600_000)] == 5)
    }

    @Test func anUnknownShopIsRefused() {
        let command = ReservationCommand.create(
            shop: 99,
            request: ReservationRequest(lifetime: 1, type: .complete, lines: [ReservationLine(product: "A", qty: 1)]),
            idempotency: nil
        )
        #expect(Planner.plan([command], given: Self.snapshot(), now: Self.now).outcomes == [.failed(.noSuchShop(99))])
    }

    @Test func idempotencyKeysReplayOrConflict() {
        let claim = IdempotencyClaim(userID: 1, key: "k1")
        let other = IdempotencyClaim(userID: 1, key: "k2")
        let first = Self.create([("A", 1)], claim: claim)
        guard case .create(_, let request, _) = first else { return }
        let answer = ReservationSnapshot(id: 7, validUntil: Self.now, lines: [ReservationLine(product: "A", qty: 1)])
        let snapshot = Self.snapshot(answered: [claim: (request.canonicalForm, answer)])
        let plan = Planner.plan(
            [
                first, Self.create([("A", 2)], claim: claim), Self.create([("A", 1)], claim: other), Self.create([("A", 1)], claim: other),
                Self.create([("A", 5)], claim: other),
            ],
            given: snapshot,
            now: Self.now
        )
        #expect(
            plan.outcomes == [.replayed(answer), .failed(.idempotencyKeyReused), .created(0), .sameAs(command: 2), .failed(.idempotencyKeyReused)]
        )
        #expect(plan.created.count == 1)
    }

    @Test func changingReplacesLinesWithinWhatIsAvailable() {
        let held = Self.reservation(1, [("A", 10), ("B", 5)])
        let stock: [String: ProductStock] = ["A": .init(onHand: 100, blocked: 0, reserved: 10), "B": .init(onHand: 5, blocked: 0, reserved: 5)]
        let change = ReservationChange(
            lifetime: nil,
            type: nil,
            lines: [ReservationLine(product: "A", qty: 95), ReservationLine(product: "B", qty: 0)]
        )
        let plan = Planner.plan([.change(id: 1, change)], given: Self.snapshot(stock, reservations: [held]), now: Self.now)
        guard case .changed(let changed, let wasExpired) = plan.outcomes.first else {
            Issue.record("not changed: \(plan.outcomes)")
            return
        }
        #expect(!wasExpired)
        #expect(changed.lines == [ReservationLine(product: "A", qty: 95)])
        #expect(changed.validUntil == held.validUntil)
        #expect(
            plan.bucketDeltas == [
                .init(product: Self.key("A"), expiresAt: held.validUntil): 85,
                .init(product: Self.key("B"), expiresAt: held.validUntil): -5,
            ]
        )
    }

    @Test func aChangeThatDoesNotFitLeavesTheReservationAsItWas() {
        let held = Self.reservation(1, [("A", 10)])
        let stock: [String: ProductStock] = ["A": .init(onHand: 100, blocked: 0, reserved: 30)]
        let change = ReservationChange(lifetime: 60, type: nil, lines: [ReservationLine(product: "A", qty: 81)])
        let plan = Planner.plan(
            [.change(id: 1, change), Self.create([("A", 80)])],
            given: Self.snapshot(stock, reservations: [held]),
            now: Self.now
        )
        #expect(plan.outcomes[0] == .failed(.notEnoughStock([.init(product: "A", requested: 81, available: 80)])))
        #expect(plan.updated.isEmpty)
        // The failed change released nothing: only 70 are left for the next command.
        #expect(plan.outcomes[1] == .failed(.notEnoughStock([.init(product: "A", requested: 80, available: 70)])))
    }

    @Test func aNewLifetimeMovesTheHeldStockToTheNewEnd() {
        let held = Self.reservation(1, [("A", 10)])
        let plan = Planner.plan(
            [.change(id: 1, ReservationChange(lifetime: 120, type: nil, lines: nil))],
            given: Self.snapshot(["A": .init(onHand: 100, blocked: 0, reserved: 10)], reservations: [held]),
            now: Self.now
        )
        #expect(plan.updated[1]?.validUntil == Self.now + 120_000)
        #expect(
            plan.bucketDeltas == [
                .init(product: Self.key("A"), expiresAt: held.validUntil): -10,
                .init(product: Self.key("A"), expiresAt: Self.now + 120_000): 10,
            ]
        )
    }

    @Test func anExpiredReservationIsReservedAnewWhenChanged() {
        let expired = Self.reservation(1, [("B", 4)], validUntil: Self.now)
        let plan = Planner.plan(
            [.change(id: 1, ReservationChange(lifetime: nil, type: nil, lines: [ReservationLine(product: "B", qty: 5)]))],
            given: Self.snapshot(),
            now: Self.now
        )
        #expect(plan.outcomes.first == .failed(.noSuchReservation(1)))
        let replanned = Planner.plan(
            [.change(id: 1, ReservationChange(lifetime: nil, type: nil, lines: [ReservationLine(product: "B", qty: 5)]))],
            given: Self.snapshot(reservations: [expired]),
            now: Self.now
        )
        guard case .changed(let changed, true) = replanned.outcomes.first else {
            Issue.record("not re-reserved: \(replanned.outcomes)")
            return
        }
        #expect(changed.validUntil == Self.now + 60_000)
        #expect(replanned.bucketDeltas == [.init(product: Self.key("B"), expiresAt: Self.now + 60_000): 5])
    }

    @Test func committedOrCancelledReservationsCannotChange() {
        let plan = Planner.plan(
            [
                .change(id: 1, ReservationChange(lifetime: 5, type: nil, lines: nil)),
                .change(id: 2, ReservationChange(lifetime: 5, type: nil, lines: nil)),
            ],
            given: Self.snapshot(reservations: [
                Self.reservation(1, [("A", 1)], state: .committed), Self.reservation(2, [("A", 1)], state: .cancelled),
            ]),
            now: Self.now
        )
        #expect(plan.outcomes == [.failed(.committed(1)), .failed(.noSuchReservation(2))])
    }

    @Test func cancellingReleasesAtOnceAndOnlyOnce() {
        let held = Self.reservation(1, [("A", 10)])
        let expired = Self.reservation(2, [("A", 3)], validUntil: Self.now - 1000)
        let plan = Planner.plan(
            [.cancel(id: 1), .cancel(id: 1), .cancel(id: 2), .cancel(id: 3), .cancel(id: 4)],
            given: Self.snapshot(reservations: [held, expired, Self.reservation(4, [("A", 1)], state: .committed)]),
            now: Self.now
        )
        #expect(plan.outcomes.count == 5)
        #expect(plan.outcomes[0] == .cancelled)
        #expect(plan.outcomes[1] == .failed(.noSuchReservation(1)))
        #expect(plan.outcomes[3] == .failed(.noSuchReservation(3)))
        #expect(plan.outcomes[4] == .failed(.committed(4)))
        #expect(plan.updated[1]?.state == .cancelled && plan.updated[2]?.state == .cancelled)
        #expect(plan.bucketDeltas == [.init(product: Self.key("A"), expiresAt: held.validUntil): -10])
    }

    @Test func committingSellsTheLinesOnce() {
        let held = Self.reservation(1, [("A", 10), ("B", 2)])
        let plan = Planner.plan(
            [.commit(id: 1), .commit(id: 1), .commit(id: 2), .commit(id: 3), .commit(id: 9)],
            given: Self.snapshot(reservations: [
                held, Self.reservation(2, [("A", 1)], validUntil: Self.now), Self.reservation(3, [("A", 1)], state: .cancelled),
            ]),
            now: Self.now
        )
        guard case .committed(let committed) = plan.outcomes[0], case .committed(let again) = plan.outcomes[1] else {
            Issue.record("not committed: \(plan.outcomes)")
            return
        }
        #expect(committed.state == .committed && again == committed)
        #expect(plan.outcomes[2] == .failed(.expired(2)))
        #expect(plan.outcomes[3] == .failed(.noSuchReservation(3)))
        #expect(plan.outcomes[4] == .failed(.noSuchReservation(9)))
        #expect(plan.sales == [.init(reservationID: 1, shop: Self.shop, lines: held.lines)])
        #expect(
            plan.bucketDeltas == [
                .init(product: Self.key("A"), expiresAt: held.validUntil): -10,
                .init(product: Self.key("B"), expiresAt: held.validUntil): -2,
            ]
        )
    }

    @Test func aBatchNamesWhatItMustLockInOneOrder() {
        let held = Self.reservation(5, [("C", 1)])
        let commands: [ReservationCommand] = [Self.create([("B", 1), ("A", 1)]), .commit(id: 5), .cancel(id: 2), .commit(id: 5)]
        #expect(Planner.reservationIDs(of: commands) == [2, 5])
        #expect(Planner.productKeys(of: commands, reservations: [5: held]) == [Self.key("A"), Self.key("B"), Self.key("C")])
    }
}

struct ProductStockTests {
    @Test func availableNeverGoesBelowZero() {
        #expect(ProductStock(onHand: 10, blocked: 2, reserved: 3).available == 5)
        #expect(ProductStock(onHand: 2, blocked: 0, reserved: 3).available == 0)
    }

    @Test func itemsReadReservedOrExpiredOnly() {
        let reservation = Reservation(id: 1, shop: 1, type: .complete, state: .active, lifetime: 1, validUntil: 2000, lines: [])
        #expect(reservation.itemState(at: 1999) == .reserved)
        #expect(reservation.itemState(at: 2000) == .expired)
        var committed = reservation
        committed.state = .committed
        #expect(committed.itemState(at: 1000) == .expired)
    }
}

struct ReservationResultTests {
    @Test func createdReservationsGetTheirIdsAndDuplicatesTheSameAnswer() {
        let claim = IdempotencyClaim(userID: 1, key: "k")
        let plan = ReservationPlanner.plan(
            [
                ReservationPlannerTests.create([("A", 1)]), ReservationPlannerTests.create([("A", 2)], claim: claim),
                ReservationPlannerTests.create([("A", 2)], claim: claim), .cancel(id: 4),
            ],
            given: ReservationPlannerTests.snapshot(),
            now: ReservationPlannerTests.now
        )
        let results = plan.results(createdIDs: [41, 42])
        let validUntil = ReservationPlannerTests.now + 600_000
        #expect(
            results == [
                .created(ReservationSnapshot(id: 41, validUntil: validUntil, lines: [ReservationLine(product: "A", qty: 1)])),
                .created(ReservationSnapshot(id: 42, validUntil: validUntil, lines: [ReservationLine(product: "A", qty: 2)])),
                .replayed(ReservationSnapshot(id: 42, validUntil: validUntil, lines: [ReservationLine(product: "A", qty: 2)])),
                .failed(.noSuchReservation(4)),
            ]
        )
    }
}
