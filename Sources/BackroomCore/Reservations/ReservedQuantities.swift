/// What active reservations hold per product, kept by expiry second, for a store that keeps this
/// in memory instead of reading it from the database on every batch.
///
/// Quantities stop counting the instant their second passes, with no sweeper: a read first drops
/// the seconds that have passed. Reservations are mostly made with the same lifetime, so new
/// seconds arrive at the end and expired ones leave at the front, and a read costs next to
/// nothing however many reservations a product has.
public struct ReservedQuantities: Sendable {
    private struct Held: Sendable {
        /// `seconds[first...]` are the live ones, ascending by expiry.
        var seconds: [(expiresAt: Int64, qty: Int64)] = []
        var first = 0
        var total: Int64 = 0

        var isEmpty: Bool { first == seconds.count }

        mutating func add(_ qty: Int64, expiringAt expiresAt: Int64) {
            total += qty
            if isEmpty || seconds[seconds.count - 1].expiresAt < expiresAt {
                seconds.append((expiresAt, qty))
                return
            }
            var low = first
            var high = seconds.count
            while low < high {
                let middle = (low + high) / 2
                if seconds[middle].expiresAt < expiresAt { low = middle + 1 } else { high = middle }
            }
            if seconds[low].expiresAt == expiresAt {
                seconds[low].qty += qty
            } else {
                seconds.insert((expiresAt, qty), at: low)
            }
        }

        mutating func dropExpired(at now: Int64) {
            while first < seconds.count, seconds[first].expiresAt <= now {
                total -= seconds[first].qty
                first += 1
            }
            // Compacting only once most of the array is dead moves each element at most once.
            if first > 32, first * 2 > seconds.count {
                seconds.removeFirst(first)
                first = 0
            }
        }
    }

    private var held: [ProductKey: Held] = [:]

    public init() {}

    /// Adds `qty` (negative to release) held until `expiresAt`, milliseconds since 1970.
    public mutating func add(_ qty: Int64, of product: ProductKey, expiringAt expiresAt: Int64) {
        guard qty != 0 else { return }
        held[product, default: Held()].add(qty, expiringAt: expiresAt)
    }

    public mutating func apply(_ deltas: [ReservationPlanner.BucketKey: Int64]) {
        for (bucket, qty) in deltas { add(qty, of: bucket.product, expiringAt: bucket.expiresAt) }
    }

    /// Every product that holds anything at `now`, with what it holds.
    public mutating func allReserved(at now: Int64) -> [ProductKey: Int64] {
        var reserved: [ProductKey: Int64] = [:]
        for product in Array(held.keys) {
            let total = self.reserved(product, at: now)
            if total != 0 { reserved[product] = total }
        }
        return reserved
    }

    /// What is held of `product` by quantities that have not expired at `now`.
    public mutating func reserved(_ product: ProductKey, at now: Int64) -> Int64 {
        guard let index = held.index(forKey: product) else { return 0 }
        held.values[index].dropExpired(at: now)
        let total = held.values[index].total
        if held.values[index].isEmpty { held.remove(at: index) }
        return total
    }
}
