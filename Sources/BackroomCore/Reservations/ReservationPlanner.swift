/// Decides the outcome of a batch of reservation commands from the stock and reservations they
/// touch, as read under lock at the start of the batch's transaction. Commands are applied one
/// after the other, each seeing what the ones before it reserved, so a batch grants exactly
/// what the same requests one by one would have.
public enum ReservationPlanner {
    /// What the planner needs to know, read in the batch's transaction.
    public struct Snapshot: Sendable {
        /// Every product the batch touches that exists in its shop; a missing key is an
        /// unknown product.
        public var stock: [ProductKey: ProductStock]
        public var shops: Set<Int>
        public var reservations: [Int64: Reservation]
        /// Earlier answers to idempotency keys the batch uses, with the request each answered.
        public var answeredKeys: [IdempotencyClaim: (request: String, answer: ReservationSnapshot)]

        public init(
            stock: [ProductKey: ProductStock],
            shops: Set<Int>,
            reservations: [Int64: Reservation],
            answeredKeys: [IdempotencyClaim: (request: String, answer: ReservationSnapshot)]
        ) {
            self.stock = stock
            self.shops = shops
            self.reservations = reservations
            self.answeredKeys = answeredKeys
        }
    }

    public enum Outcome: Sendable, Equatable {
        /// Index into `Plan.created`; the reservation gets its id when it is stored.
        case created(Int)
        case replayed(ReservationSnapshot)
        /// The same idempotency key and request as an earlier command of this batch: its answer.
        case sameAs(command: Int)
        case changed(Reservation, wasExpired: Bool)
        case cancelled
        case committed(Reservation)
        case failed(ReservationFailure)
    }

    public struct NewReservation: Sendable, Equatable {
        public let shop: Int
        public let type: ReservationType
        public let lifetime: Int64
        public let validUntil: Int64
        public let lines: [ReservationLine]
        public let idempotency: IdempotentRequest?

        /// How it is answered, and answered again to its idempotency key, once stored as `id`.
        public func snapshot(id: Int64) -> ReservationSnapshot {
            ReservationSnapshot(id: id, validUntil: validUntil, lines: lines)
        }
    }

    /// Stock held per product and expiry second: summing the rows that have not expired gives
    /// what is reserved, with no sweeper and without reading every reservation.
    public struct BucketKey: Hashable, Sendable {
        public let product: ProductKey
        public let expiresAt: Int64

        public init(product: ProductKey, expiresAt: Int64) {
            self.product = product
            self.expiresAt = expiresAt
        }
    }

    public struct Sale: Sendable, Equatable {
        public let reservationID: Int64
        public let shop: Int
        public let lines: [ReservationLine]

        public init(reservationID: Int64, shop: Int, lines: [ReservationLine]) {
            self.reservationID = reservationID
            self.shop = shop
            self.lines = lines
        }
    }

    public struct Plan: Sendable {
        public var outcomes: [Outcome] = []
        public var created: [NewReservation] = []
        /// The final state of every existing reservation the batch changed.
        public var updated: [Int64: Reservation] = [:]
        /// Non-zero changes of the reserved buckets.
        public var bucketDeltas: [BucketKey: Int64] = [:]
        public var sales: [Sale] = []
    }

    /// The reservations a batch refers to: read (and locked) first, in id order.
    public static func reservationIDs(of commands: [ReservationCommand]) -> [Int64] {
        Array(Set(commands.compactMap(\.reservationID))).sorted()
    }

    /// The products a batch touches: locked and read next, in `ProductKey` order.
    public static func productKeys(of commands: [ReservationCommand], reservations: [Int64: Reservation]) -> [ProductKey] {
        var keys = Set<ProductKey>()
        for command in commands {
            switch command {
            case .create(let shop, let request, _):
                for line in request.lines { keys.insert(ProductKey(shop: shop, product: line.product)) }
            case .change(let id, let change):
                guard let reservation = reservations[id] else { continue }
                for line in reservation.lines + (change.lines ?? []) {
                    keys.insert(ProductKey(shop: reservation.shop, product: line.product))
                }
            case .cancel(let id), .commit(let id):
                guard let reservation = reservations[id] else { continue }
                for line in reservation.lines { keys.insert(ProductKey(shop: reservation.shop, product: line.product)) }
            }
        }
        return keys.sorted()
    }

    public static func plan(_ commands: [ReservationCommand], given snapshot: Snapshot, now: Int64) -> Plan {
        var planning = Planning(snapshot: snapshot, now: now)
        for (index, command) in commands.enumerated() {
            planning.plan.outcomes.append(planning.apply(command, index: index))
        }
        return planning.plan
    }
}

/// The working state of one batch being planned.
private struct Planning {
    var stock: [ProductKey: ProductStock]
    let shops: Set<Int>
    var reservations: [Int64: Reservation]
    let answeredKeys: [IdempotencyClaim: (request: String, answer: ReservationSnapshot)]
    var claimedInBatch: [IdempotencyClaim: (request: String, command: Int)] = [:]
    let now: Int64
    var plan = ReservationPlanner.Plan()

    init(snapshot: ReservationPlanner.Snapshot, now: Int64) {
        stock = snapshot.stock
        shops = snapshot.shops
        reservations = snapshot.reservations
        answeredKeys = snapshot.answeredKeys
        self.now = now
    }

    mutating func apply(_ command: ReservationCommand, index: Int) -> ReservationPlanner.Outcome {
        switch command {
        case .create(let shop, let request, let claim): create(shop: shop, request: request, claim: claim, index: index)
        case .change(let id, let change): self.change(id: id, change)
        case .cancel(let id): cancel(id: id)
        case .commit(let id): commit(id: id)
        }
    }

    private mutating func create(
        shop: Int,
        request: ReservationRequest,
        claim: IdempotencyClaim?,
        index: Int
    ) -> ReservationPlanner.Outcome {
        let idempotency = claim.map { IdempotentRequest(claim: $0, request: request.canonicalForm) }
        if let idempotency {
            if let earlier = answeredKeys[idempotency.claim] {
                return idempotency.replay(earlier).map(ReservationPlanner.Outcome.replayed) ?? .failed(.idempotencyKeyReused)
            }
            if let earlier = claimedInBatch[idempotency.claim] {
                return idempotency.replay((earlier.request, earlier.command)).map { .sameAs(command: $0) } ?? .failed(.idempotencyKeyReused)
            }
        }
        guard shops.contains(shop) else { return .failed(.noSuchShop(shop)) }
        switch grant(request.lines, in: shop, type: request.type) {
        case .failure(let failure):
            return .failed(failure)
        case .success(let granted):
            let validUntil = ValidityWindow.validUntil(now: now, lifetime: request.lifetime)
            hold(granted, in: shop, until: validUntil, sign: 1)
            if let idempotency { claimedInBatch[idempotency.claim] = (idempotency.request, index) }
            plan.created.append(
                ReservationPlanner.NewReservation(
                    shop: shop,
                    type: request.type,
                    lifetime: request.lifetime,
                    validUntil: validUntil,
                    lines: granted,
                    idempotency: idempotency
                )
            )
            return .created(plan.created.count - 1)
        }
    }

    private mutating func change(id: Int64, _ change: ReservationChange) -> ReservationPlanner.Outcome {
        guard var reservation = reservations[id], reservation.state != .cancelled else { return .failed(.noSuchReservation(id)) }
        guard reservation.state == .active else { return .failed(.committed(id)) }
        let wasExpired = reservation.isExpired(at: now)
        let type = change.type ?? reservation.type
        let lifetime = change.lifetime ?? reservation.lifetime
        let wanted = (change.lines ?? reservation.lines).filter { $0.qty > 0 }
        // What the reservation holds is released first, so that it counts as available to
        // itself; an expired one holds nothing any more and its lines are reserved anew.
        if !wasExpired { hold(reservation.lines, in: reservation.shop, until: reservation.validUntil, sign: -1) }
        switch grant(wanted, in: reservation.shop, type: type, mayGrantNothing: !wasExpired) {
        case .failure(let failure):
            if !wasExpired { hold(reservation.lines, in: reservation.shop, until: reservation.validUntil, sign: 1) }
            return .failed(failure)
        case .success(let granted):
            reservation.type = type
            reservation.lifetime = lifetime
            if wasExpired || change.lifetime != nil {
                reservation.validUntil = ValidityWindow.validUntil(now: now, lifetime: lifetime)
            }
            reservation.lines = granted
            hold(granted, in: reservation.shop, until: reservation.validUntil, sign: 1)
            record(reservation)
            return .changed(reservation, wasExpired: wasExpired)
        }
    }

    private mutating func cancel(id: Int64) -> ReservationPlanner.Outcome {
        guard var reservation = reservations[id], reservation.state != .cancelled else { return .failed(.noSuchReservation(id)) }
        guard reservation.state == .active else { return .failed(.committed(id)) }
        if reservation.holdsStock(at: now) {
            hold(reservation.lines, in: reservation.shop, until: reservation.validUntil, sign: -1)
        }
        reservation.state = .cancelled
        record(reservation)
        return .cancelled
    }

    private mutating func commit(id: Int64) -> ReservationPlanner.Outcome {
        guard var reservation = reservations[id], reservation.state != .cancelled else { return .failed(.noSuchReservation(id)) }
        // A commit repeated (a client retrying after a lost answer) is answered as the first.
        guard reservation.state == .active else { return .committed(reservation) }
        guard !reservation.isExpired(at: now) else { return .failed(.expired(id)) }
        hold(reservation.lines, in: reservation.shop, until: reservation.validUntil, sign: -1)
        for line in reservation.lines {
            stock[ProductKey(shop: reservation.shop, product: line.product)]?.onHand -= line.qty
        }
        reservation.state = .committed
        record(reservation)
        plan.sales.append(ReservationPlanner.Sale(reservationID: id, shop: reservation.shop, lines: reservation.lines))
        return .committed(reservation)
    }

    /// What `lines` get in `shop`: all or nothing for `COMPLETE`, as much as there is for
    /// `PARTLY`. A change may leave a reservation with no lines (`mayGrantNothing`).
    private func grant(
        _ lines: [ReservationLine],
        in shop: Int,
        type: ReservationType,
        mayGrantNothing: Bool = false
    ) -> Result<[ReservationLine], ReservationFailure> {
        let unknown = lines.filter { stock[ProductKey(shop: shop, product: $0.product)] == nil }.map(\.product)
        if type == .complete, !unknown.isEmpty { return .failure(.unknownProducts(unknown)) }
        var granted: [ReservationLine] = []
        var shortages: [ReservationFailure.Shortage] = []
        for line in lines {
            let available = stock[ProductKey(shop: shop, product: line.product)]?.available ?? 0
            if line.qty > available {
                shortages.append(.init(product: line.product, requested: line.qty, available: available))
            }
            let amount = min(line.qty, available)
            if amount > 0 { granted.append(ReservationLine(product: line.product, qty: amount)) }
        }
        switch type {
        case .complete where !shortages.isEmpty:
            return .failure(.notEnoughStock(shortages))
        case .partly where granted.isEmpty && !(mayGrantNothing && lines.isEmpty):
            return .failure(.notEnoughStock(shortages))
        case .complete, .partly:
            return .success(type == .complete ? lines : granted)
        }
    }

    /// Adds (`sign` 1) or releases (`sign` -1) held stock, in the working stock and the buckets.
    private mutating func hold(_ lines: [ReservationLine], in shop: Int, until validUntil: Int64, sign: Int64) {
        for line in lines {
            let key = ProductKey(shop: shop, product: line.product)
            stock[key]?.reserved += sign * line.qty
            let bucket = ReservationPlanner.BucketKey(product: key, expiresAt: validUntil)
            let total = plan.bucketDeltas[bucket, default: 0] + sign * line.qty
            plan.bucketDeltas[bucket] = total == 0 ? nil : total
        }
    }

    private mutating func record(_ reservation: Reservation) {
        reservations[reservation.id] = reservation
        plan.updated[reservation.id] = reservation
    }
}
