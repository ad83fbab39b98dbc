/// How a store squares its own movements with what central holds of them, before it pushes
/// anything in a process's life. Normally there is nothing to do. After the store's database was
/// restored from an older copy, central holds movements the copy lacks, and the sales recorded
/// since the restore carry sequence numbers central already holds for other sales: those are
/// moved past what central holds, and central's are taken back. After central was restored from
/// an older copy, it holds less than the store pushed: the store pushes again from there.
///
/// The store's movements up to the copy are a prefix of what it recorded before, so they match
/// central's one for one; the first sequence where the two differ is where the copy ends.
public struct OriginRecovery: Sendable, Equatable {
    /// The first of the store's own sequences that central does not hold as the store does: it
    /// and every later one (and the origin's counter) move up by `shift`. Nil when nothing moves.
    public let renumberFrom: Int64?
    public let shift: Int64
    /// Central's movements of the store's origin the store lacks, to apply as they are.
    public let missing: [ReplicatedMovement]
    /// How far central holds the store's origin, which is the store's push mark afterwards.
    public let pushed: Int64

    public init(renumberFrom: Int64?, shift: Int64, missing: [ReplicatedMovement], pushed: Int64) {
        self.renumberFrom = renumberFrom
        self.shift = shift
        self.missing = missing
        self.pushed = pushed
    }

    /// Whether the store's database changes beyond its push mark.
    public var changesMovements: Bool { renumberFrom != nil || !missing.isEmpty }

    /// The plan. `pushed` is the store's push mark; `centralHolds` the highest sequence central
    /// holds of the store's origin; `central` central's movements of that origin past `pushed`
    /// (up to `centralHolds`); `local` the store's own past `pushed` up to `centralHolds`.
    public static func plan(pushed: Int64, centralHolds: Int64, central: [ReplicatedMovement], local: [ReplicatedMovement]) -> OriginRecovery {
        guard centralHolds > pushed else {
            // Central holds no more than the store pushed, perhaps less (it was restored): the
            // store's own rows are all still its, and it pushes from what central holds.
            return OriginRecovery(renumberFrom: nil, shift: 0, missing: [], pushed: centralHolds)
        }
        let held = Dictionary(central.map { ($0.sequence, $0) }, uniquingKeysWith: { first, _ in first })
        let own = Dictionary(local.map { ($0.sequence, $0) }, uniquingKeysWith: { first, _ in first })
        let centralDiffers = central.lazy.filter { own[$0.sequence] != $0 }.map(\.sequence).min()
        let storeOnly = local.lazy.filter { $0.sequence <= centralHolds && held[$0.sequence] == nil }.map(\.sequence).min()
        guard let divergence = [centralDiffers, storeOnly].compactMap({ $0 }).min() else {
            return OriginRecovery(renumberFrom: nil, shift: 0, missing: [], pushed: centralHolds)
        }
        return OriginRecovery(
            // Moved all by one amount, so they keep their order and land past what central holds;
            // a sale recorded after this plan was made is at `divergence` or later, and moves too.
            renumberFrom: divergence,
            shift: centralHolds + 1 - divergence,
            missing: central.filter { $0.sequence >= divergence }.sorted { $0.sequence < $1.sequence },
            pushed: centralHolds
        )
    }
}
