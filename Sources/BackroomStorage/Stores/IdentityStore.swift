import BackroomCore

/// Users, their rights and shops, API tokens and browser sessions.
/// Every method is one transaction, and returns only once it is durable.
public protocol IdentityStore: Sendable {
    /// Throws `StorageError.alreadyExists` when the name is taken.
    @discardableResult
    func createUser(_ user: NewUser) async throws -> Int64
    func user(named name: String) async throws -> StoredUser?
    /// Gives an existing user this password hash, rights and shops. Throws `StorageError.unknownUser`.
    func updateUser(_ user: NewUser) async throws
    func addAPIToken(fingerprint: String, userID: Int64) async throws
    func principal(forAPIToken fingerprint: String) async throws -> Principal?
    func createSession(_ session: NewSession) async throws
    /// The session's user and the fingerprint of its XSRF token, while the session is valid.
    func session(fingerprint: String, now: Int64) async throws -> (principal: Principal, xsrfFingerprint: String)?
    func deleteSession(fingerprint: String) async throws
    /// Every user with a password, for a store to sign its tills' users in while offline. Read
    /// at every store's pull, so in a fixed number of statements however many users there are.
    func allUsers() async throws -> [StoredUser]
}
