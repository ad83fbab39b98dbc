/// Which movements the retention run may delete: each origin's oldest, recorded before the
/// cutoff, up to where the slowest of its consumers has them. What goes leaves a horizon, the
/// origin's last deleted sequence, below which nothing is ever applied again (exactly once
/// outlives the rows) and behind which a cursor can no longer be served.
public enum MovementRetention {
    /// Who reads an origin's movements after they are recorded, and how far it has them.
    public struct Consumer: Sendable, Equatable {
        public enum Scope: Sendable, Equatable {
            /// Every origin but one (a store's pull skips its own) or all (an ERP export).
            case allBut(ServerKey?)
            /// One origin only: central, as far as it holds a store's own movements.
            case only(ServerKey)
        }

        public let position: SyncCursor
        public let scope: Scope

        public init(position: SyncCursor, scope: Scope) {
            self.position = position
            self.scope = scope
        }

        func reads(_ origin: ServerKey) -> Bool {
            switch scope {
            case .allBut(let skipped): origin != skipped
            case .only(let read): origin == read
            }
        }
    }

    /// How far each of `origins` may be deleted: no further than any consumer that reads it
    /// has it. An origin nobody reads is bounded by the cutoff alone (nil).
    public static func bounds(of origins: [ServerKey], consumers: [Consumer]) -> [ServerKey: Int64?] {
        var bounds: [ServerKey: Int64?] = [:]
        for origin in origins {
            let positions = consumers.filter { $0.reads(origin) }.map { $0.position.position(of: origin) }
            bounds[origin] = positions.min()
        }
        return bounds
    }

    /// Of an origin's oldest movements past its horizon, in sequence order, the last that may
    /// go: it and every one before it recorded before `cutoff` and within `bound`. Nil: none.
    public static func deletableThrough(_ oldest: [(sequence: Int64, recordedAt: Int64)], cutoff: Int64, bound: Int64?) -> Int64? {
        var last: Int64?
        for movement in oldest {
            guard movement.recordedAt < cutoff, movement.sequence <= bound ?? .max else { break }
            last = movement.sequence
        }
        return last
    }

    /// Whether a pull from `cursor` would miss deleted movements: some origin it reads has a
    /// horizon past its position. Such a store loads afresh instead (`StoreBootstrap`).
    public static func isBehind(_ cursor: SyncCursor, horizons: [ServerKey: Int64], except store: ServerKey) -> Bool {
        horizons.contains { origin, horizon in origin != store && horizon > cursor.position(of: origin) }
    }
}
