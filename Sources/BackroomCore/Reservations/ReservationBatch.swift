/// The one sequence a batch of reservation commands goes through inside its transaction, as a
/// state machine without I/O (postgres-nio's way): the database adapter performs the step it is
/// asked for and hands back what it read. Which locks are taken in which order, what is read,
/// and the plan are decided here, once for both databases.
///
/// Locks follow one global order — idempotency keys, reservations by id, stock rows by
/// `ProductKey` — so that batches of several writers, or processes, never deadlock.
public struct ReservationBatch: Sendable {
    public enum Step: Sendable {
        /// Lock and read the earlier answers of these idempotency keys; say which shops exist.
        case readKeysAndShops(claims: [IdempotencyClaim], shops: [Int])
        /// Lock and read these reservations, in id order (unknown ones are simply missing).
        case readReservations([Int64])
        /// Lock and read the stock of these products, in this order.
        case readStock([ProductKey])
        /// Store the plan: the new reservations (answering their ids in order) with the answers to
        /// their idempotency keys, the changed reservations (`was` holds them as read), the sales.
        case persist(ReservationPlanner.Plan, was: [Int64: Reservation])
        /// Every command's answer.
        case done([ReservationResult])
    }

    private enum Phase: Sendable {
        case start, keysRead, reservationsRead
        case persisting(ReservationPlanner.Plan)
        case finished([ReservationResult])
    }

    private let commands: [ReservationCommand]
    private let now: Int64
    private var phase = Phase.start
    private var answered: [IdempotencyClaim: (request: String, answer: ReservationSnapshot)] = [:]
    private var shops = Set<Int>()
    private var reservations: [Int64: Reservation] = [:]

    public init(_ commands: [ReservationCommand], at now: Int64) {
        self.commands = commands
        self.now = now
    }

    /// What the adapter is to do now.
    public func next() -> Step {
        switch phase {
        case .start:
            var claims: [IdempotencyClaim] = []
            var shops: [Int] = []
            for case .create(let shop, _, let claim) in commands {
                if !shops.contains(shop) { shops.append(shop) }
                if let claim, !claims.contains(claim) { claims.append(claim) }
            }
            return .readKeysAndShops(claims: claims, shops: shops)
        case .keysRead:
            return .readReservations(ReservationPlanner.reservationIDs(of: commands))
        case .reservationsRead:
            return .readStock(ReservationPlanner.productKeys(of: commands, reservations: reservations))
        case .persisting(let plan):
            return .persist(plan, was: reservations)
        case .finished(let results):
            return .done(results)
        }
    }

    public mutating func keysAndShopsRead(answered: [IdempotencyClaim: (request: String, answer: ReservationSnapshot)], shops: Set<Int>) {
        self.answered = answered
        self.shops = shops
        phase = .keysRead
    }

    public mutating func reservationsRead(_ reservations: [Int64: Reservation]) {
        self.reservations = reservations
        phase = .reservationsRead
    }

    /// Plans the batch from everything read.
    public mutating func stockRead(_ stock: [ProductKey: ProductStock]) {
        let plan = ReservationPlanner.plan(
            commands,
            given: .init(stock: stock, shops: shops, reservations: reservations, answeredKeys: answered),
            now: now
        )
        phase = .persisting(plan)
    }

    /// `createdIDs`: the ids the new reservations were stored under, in the plan's order.
    public mutating func persisted(createdIDs: [Int64]) {
        guard case .persisting(let plan) = phase else { preconditionFailure("nothing was being persisted") }
        phase = .finished(plan.results(createdIDs: createdIDs))
    }
}
