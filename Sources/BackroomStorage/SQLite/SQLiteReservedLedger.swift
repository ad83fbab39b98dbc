import BackroomCore
import NIOConcurrencyHelpers

/// What is reserved per product, kept by the writer in memory rather than in a table: a table
/// of sums per product and second cost every batch a random page read and write per product,
/// half of the writer's time under a uniform load.
///
/// Only the writer connection uses it, inside its transactions. It is rebuilt from the
/// reservations themselves on first use and whenever another connection (another process on
/// the same file) has committed since, which `PRAGMA data_version` tells; within a write
/// transaction nobody else can commit, so what it answers there is exact.
final class SQLiteReservedLedger: Sendable {
    private struct State {
        var quantities = ReservedQuantities()
        /// `PRAGMA data_version` when the quantities were last known to match the file.
        var dataVersion: Int64?
    }

    private let state = NIOLockedValueBox(State())

    /// What is reserved of each of `keys` at `now`, as of `connection`'s open transaction.
    func reserved(_ keys: [ProductKey], at now: Int64, _ connection: SQLiteConnection) throws -> [ProductKey: Int64] {
        try current(connection, at: now) { quantities in
            var reserved: [ProductKey: Int64] = [:]
            for key in keys { reserved[key] = quantities.reserved(key, at: now) }
            return reserved
        }
    }

    /// Every product of `shops` that holds anything at `now`, as of `connection`'s transaction.
    func allReserved(shops: Set<Int>, at now: Int64, _ connection: SQLiteConnection) throws -> [ProductKey: Int64] {
        try current(connection, at: now) { $0.allReserved(at: now) }.filter { shops.contains($0.key.shop) }
    }

    /// Runs `read` on the quantities, rebuilt first if another connection committed since they
    /// were last known to match the file.
    private func current<Result>(
        _ connection: SQLiteConnection,
        at now: Int64,
        _ read: (inout ReservedQuantities) -> Result
    ) throws -> Result {
        let version = try connection.query("PRAGMA data_version").first?.integer(0)
        let rebuilt = try state.withLockedValue { $0.dataVersion } == version ? nil : Self.recount(connection, at: now)
        return state.withLockedValue { state in
            if let rebuilt {
                state.quantities = rebuilt
                state.dataVersion = version
            }
            return read(&state.quantities)
        }
    }

    /// Records what a committed batch changed; called only after its commit succeeded.
    func apply(_ deltas: [ReservationPlanner.BucketKey: Int64]) {
        guard !deltas.isEmpty else { return }
        state.withLockedValue { $0.quantities.apply(deltas) }
    }

    private static func recount(_ connection: SQLiteConnection, at now: Int64) throws -> ReservedQuantities {
        var quantities = ReservedQuantities()
        let rows = try connection.query(
            """
            SELECT r.shop_id, i.product_id, r.valid_until, SUM(i.qty)
            FROM reservations r JOIN reservation_items i ON i.reservation_id = r.id
            WHERE r.state = 'active' AND r.valid_until > ?
            GROUP BY r.shop_id, i.product_id, r.valid_until
            """,
            [.integer(now)]
        )
        for row in rows {
            let key = ProductKey(
                shop: Int(try readable(row.integer(0), in: "reservations")),
                product: try readable(row.text(1), in: "reservation_items")
            )
            quantities.add(
                try readable(row.integer(3), in: "reservation_items"),
                of: key,
                expiringAt: try readable(row.integer(2), in: "reservations")
            )
        }
        return quantities
    }
}
