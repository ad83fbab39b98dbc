import BackroomCore

/// Whether the writer's transaction changed a table a store waits on. SQLite names only the
/// table and row, so any such change is `everything` to the waiters; tables written on every
/// exchange (the registry's statuses, sync state) are left out, so that a store's pull does not
/// wake every other store's.
final class SQLiteChangedTables: @unchecked Sendable {
    static let watched = ChangeNotifications.sqliteWatchedTables

    /// Touched by the writer's thread only: in the update hook and around each transaction.
    private var changed = false

    func note(_ table: UnsafePointer<CChar>) {
        guard !changed else { return }
        changed = Self.watched.contains(String(cString: table))
    }

    /// What the transaction just finished changed, and forgets it.
    func take() -> ShopChange? {
        defer { changed = false }
        return changed ? .everything : nil
    }
}
