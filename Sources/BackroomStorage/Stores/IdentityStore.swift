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
    /// Returns when the token was made.
    @discardableResult
    func addAPIToken(fingerprint: String, userID: Int64) async throws -> Int64
    func principal(forAPIToken fingerprint: String) async throws -> Principal?
    func createSession(_ session: NewSession) async throws
    /// The session's user and the fingerprint of its XSRF token, while the session is valid.
    func session(fingerprint: String, now: Int64) async throws -> (principal: Principal, xsrfFingerprint: String)?
    func deleteSession(fingerprint: String) async throws
    /// Ends every session of the user but the one with fingerprint `keeping` (a password change
    /// signs the user out everywhere else).
    func deleteSessions(ofUser name: String, keeping: String?) async throws
    /// Every enabled user with a password, for a store to sign its tills' users in while offline.
    /// Read at every store's pull, so in a fixed number of statements however many users there are.
    func allUsers() async throws -> [StoredUser]
    /// Users by name after `after` (nil: from the first), disabled ones too.
    func users(after: String?, limit: Int) async throws -> [ListedUser]
    func listedUser(named name: String) async throws -> ListedUser?
    /// False for an unknown name.
    func setUserDisabled(named name: String, disabled: Bool) async throws -> Bool
    /// Deletes the user with their rights, shops, tokens and sessions; false for an unknown name.
    func deleteUser(named name: String) async throws -> Bool
    /// Tokens by fingerprint after the one whose id is `after` (nil: from the first).
    func apiTokens(after: String?, limit: Int) async throws -> [ListedToken]
    /// Deletes the token whose fingerprint starts with `id`; false when there is none.
    func revokeAPIToken(id: String) async throws -> Bool
    /// Notes when the token was last used.
    func noteAPITokenUse(fingerprint: String, at: Int64) async throws
}
