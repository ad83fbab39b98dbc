import BackroomCore

/// What the sync engine, the store link, the ERP export and the sync endpoints keep between runs.
/// Every method is one transaction, and returns only once it is durable.
public protocol SyncStateStore: Sendable {
    /// A value the sync link keeps between runs (e.g. its cursor), by name.
    func syncState(_ key: SyncStateKey) async throws -> String?
    /// Several values at once (those not set are absent): what every store's figures need,
    /// read in one go rather than a query per store.
    func syncStates(_ keys: [SyncStateKey]) async throws -> [SyncStateKey: String]
    /// A value with when it was last written (it is not written again when unchanged).
    func writtenSyncState(_ key: SyncStateKey) async throws -> (value: String, writtenAt: Int64)?
    /// Writes nothing when `value` is what is stored already: every store's exchange, once a
    /// second, sets its cursor and backlog on central, on the writer reservations use.
    func setSyncState(_ key: SyncStateKey, _ value: String) async throws
    /// Several values in one transaction (one statement on PostgreSQL), each written only where
    /// it differs: what a store's pull notes of it.
    func setSyncStates(_ values: [SyncStateKey: String]) async throws
    /// Sets the value only if it is still `expected` (nil: not set yet); returns whether it did.
    /// Two writers that both read the same value cannot both go on from it.
    func replaceSyncState(_ key: SyncStateKey, expected: String?, with value: String) async throws -> Bool
}
