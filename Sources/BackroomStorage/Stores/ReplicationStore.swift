import BackroomCore

/// Movements between servers: what a server sends, what it applies, exactly once per origin
/// and sequence, and the figures central sends along.
/// Every method is one transaction, and returns only once it is durable.
public protocol ReplicationStore: Sendable {
    /// Movements that arose on this server under `origin` after `sequence`, oldest first.
    func ownMovements(origin: ServerKey, after sequence: Int64, limit: Int) async throws -> [ReplicatedMovement]
    /// The movements of `shops` from every origin but `store`'s past `cursor`, each origin's in
    /// its order, looking at no more than `limit` movements (by each origin's index, so a pull
    /// costs what is new, however long the history).
    /// `shops` nil means every shop and `store` nil no origin left out (the ERP export).
    func movements(forShops shops: [Int]?, except store: ServerKey?, after cursor: SyncCursor, limit: Int) async throws -> SyncPage
    /// Every movement past `from` up to and including `through`, each origin's in its order: a
    /// batch as it was first read, read again.
    func movements(after from: SyncCursor, through: SyncCursor) async throws -> [ReplicatedMovement]
    /// The movements with these ids (`movements.seq` of this database), by origin and sequence.
    func movements(ids: [Int64]) async throws -> [ReplicatedMovement]
    /// The movements of `shops` from origins other than `store`'s that lie past `cursor`: how
    /// many, and when the oldest was recorded.
    func backlog(forShops shops: [Int], except store: ServerKey, after cursor: SyncCursor) async throws -> MovementBacklog
    /// Applies movements that arose elsewhere, each at most once ever (by origin and sequence),
    /// adding the shops and stock lines they need; `state`, when given, is stored in the same
    /// transaction, and so are `figures` from central (replacing what was known). Returns how
    /// many movements were new.
    @discardableResult
    func applyReplicated(
        _ movements: [ReplicatedMovement],
        recording state: (key: SyncStateKey, value: String)?,
        figures: CentralFigures?
    ) async throws -> Int
    /// On a store: carries out `plan` for its own `origin` in one transaction. Its movements from
    /// `renumberFrom` on and its counter move up by `shift`, central's movements it lacked are
    /// applied, the counter reaches at least `pushed`, and so does the push mark (`linkPushed`).
    func recoverOwnMovements(of origin: ServerKey, following plan: OriginRecovery) async throws
    /// After a restore from a copy: adds a `RestoreMark` with a head for every origin numbered on
    /// this database (its counters) to the marks it keeps, in one transaction; returns it.
    func recordRestore(id: String) async throws -> RestoreMark
    /// On a store, after central's `mark`: forgets its movements of every origin of the mark but
    /// `own` past the mark's head (on hand moving back by them), takes its pull cursor back to
    /// the heads and notes the mark as applied, in one transaction.
    func forget(beyond mark: RestoreMark, except own: ServerKey) async throws
    /// What a store's pull reads: its page (`movements(forShops:except:after:limit:)`), and
    /// what is reserved at `now` and blocked of every product of its shops that has any (the
    /// figures central sends along), in one look.
    func pullRead(forShops shops: [Int], except store: ServerKey, after cursor: SyncCursor, limit: Int, at now: Int64) async throws -> PullRead
    /// Every origin whose movements this server holds or held, with its horizon: its last
    /// movement retention deleted (0: none), at or below which nothing is applied again.
    func movementHorizons() async throws -> [ServerKey: Int64]
    /// On central: the stock lines of `shops` and every origin's head (or horizon) in them, in one look.
    func stockSnapshot(shops: [Int]) async throws -> StockSnapshot
    /// On a store, in one transaction: each stock line of `shops` becomes what `snapshot` says
    /// plus this store's own movements central did not have in it (past its head of `own`),
    /// and the pull cursor the snapshot's heads.
    func load(_ snapshot: StockSnapshot, shops: [Int], own: ServerKey) async throws
    /// On a store: what central last said it holds reserved of these products of `shop`.
    func centralReserved(shop: Int, products: [String]) async throws -> [String: Int64]
    /// The highest sequence held from `origin`, 0 for none.
    func highestSequence(of origin: ServerKey) async throws -> Int64
}

public struct PullRead: Sendable {
    public let page: SyncPage
    public let held: HeldQuantities
    /// Each origin's last movement retention deleted (`MovementRetention.isBehind`).
    public let horizons: [ServerKey: Int64]
}

/// What is reserved and blocked in some shops, as a pull reads them for central's figures.
public struct HeldQuantities: Sendable, Equatable {
    public var reserved: [ProductKey: Int64]
    public var blocked: [ProductKey: Int64]

    public init(reserved: [ProductKey: Int64], blocked: [ProductKey: Int64]) {
        self.reserved = reserved
        self.blocked = blocked
    }
}
