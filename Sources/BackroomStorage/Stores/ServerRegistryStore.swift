import BackroomCore

/// The registry of servers: keys, URLs, shops, statuses and sync token fingerprints.
/// Every method is one transaction, and returns only once it is durable.
public protocol ServerRegistryStore: Sendable {
    /// Throws `StorageError.alreadyExists` when the key is taken.
    func registerServer(_ server: ServerRegistration, tokenFingerprint: String?) async throws
    /// Gives a registered server this name, URL and shops (its key and type stay); false for an
    /// unknown key.
    func updateServer(_ server: ServerRegistration) async throws -> Bool
    /// Removes the server and its shops from the registry; false for an unknown key.
    func removeServer(key: ServerKey) async throws -> Bool
    func server(key: ServerKey) async throws -> StoredServer?
    /// Every registered server, by key.
    func servers() async throws -> [StoredServer]
    /// The server whose sync token has this fingerprint.
    func server(tokenFingerprint: String) async throws -> StoredServer?
    /// Gives a store a new sync token: with `sealed`, as its next one (the old one stays valid
    /// until the next is first used, and `sealed` waits for the store to collect it); without,
    /// at once. False for an unknown key.
    func rotateServerToken(key: ServerKey, fingerprint: String, sealed: String?) async throws -> Bool
    /// The store whose next sync token has this fingerprint, that token made its only one.
    func serverPromotingNextToken(fingerprint: String) async throws -> StoredServer?
    /// Every store's next sync token, sealed, of those that have one.
    func nextServerTokens() async throws -> [ServerKey: String]
    /// Stores what is now known of a server's status, written `at`; a reason, when given, is
    /// kept as its offline log (at most `StoredServer.offlineLogLimit` characters). A status
    /// other than the stored one is added to the server's history, which forgets changes older
    /// than `StatusChange.retentionMillis`. Unknown keys are ignored.
    func recordServerStatus(_ key: ServerKey, _ status: ServerStatus, at: Int64, reason: String?) async throws
    /// A server's changes of status, newest first, at most `limit`.
    func statusHistory(key: ServerKey, limit: Int) async throws -> [StatusChange]
    /// When each server's status last changed, of those whose history has a change.
    func lastStatusChanges() async throws -> [ServerKey: Int64]
    /// Notes when central last pinged the server.
    /// Notes what a server runs, as its call said.
    func recordServerSoftware(_ key: ServerKey, _ software: PeerSoftware) async throws
    func recordPing(_ key: ServerKey, at: Int64) async throws
}
