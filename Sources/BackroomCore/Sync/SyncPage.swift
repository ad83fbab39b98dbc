/// One pull's worth of movements for a store, and the cursor past everything looked at for it.
/// Movements of other shops are never sent, and the cursor steps over them to each origin's
/// head, so that they are not looked at again on the next pull.
public struct SyncPage: Sendable, Equatable {
    public let movements: [ReplicatedMovement]
    public let cursor: SyncCursor
    /// Whether the page stopped at its limit, so that more may follow at once.
    public let more: Bool

    /// The page for the movements `matching` the pull (its shops, past `cursor`, and no
    /// further than each origin's head), the first `limit` of them in (origin, sequence) order.
    /// `heads` is each origin's last sequence, read no later than `matching`: an origin's
    /// sequences follow its commits, so everything up to a head read earlier is in `matching`.
    public init(after cursor: SyncCursor, heads: [ServerKey: Int64], matching: [ReplicatedMovement], limit: Int) {
        movements = matching
        more = matching.count >= limit
        var next = cursor
        // A full page ends at its last movement: its origin is followed no further than that,
        // and the origins after it not at all.
        let last = more ? matching.last : nil
        for (origin, head) in heads {
            if let last, origin >= last.origin { continue }
            next = next.advanced(to: head, of: origin)
        }
        if let last { next = next.advanced(to: last.sequence, of: last.origin) }
        self.cursor = next
    }
}
