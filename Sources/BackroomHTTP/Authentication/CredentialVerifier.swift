import BackroomCore
import BackroomSecurity
import BackroomStorage
import NIOConcurrencyHelpers

/// Turns passwords, tokens and session cookies into principals.
///
/// A bcrypt check costs tens of milliseconds on purpose, which a client sending Basic
/// credentials with every request must not pay every time: a credential verified once is
/// remembered (by a keyed digest, never in clear) for `reuseSeconds`, after which the stored
/// hash is read again so that a changed password or right takes effect.
public final class CredentialVerifier: Sendable {
    static let reuseSeconds: Int64 = 10
    static let maximumRemembered = 10_000

    private struct Remembered: Sendable {
        let principal: Principal
        let passwordHash: String
        let verifiedAt: Int64
    }

    private let storage: any IdentityStore
    private let clock: BackroomClock
    private let digest = ProcessKeyedDigest()
    private let remembered = NIOLockedValueBox<[String: Remembered]>([:])
    private let checking = NIOLockedValueBox<[String: Task<Principal?, any Error>]>([:])
    /// When this process last noted each token's use, by fingerprint.
    private let tokenUses = NIOLockedValueBox<[String: Int64]>([:])
    static let tokenUseResolution: Int64 = 60_000

    public init(storage: any IdentityStore, clock: BackroomClock) {
        self.storage = storage
        self.clock = clock
    }

    public func principal(user: String, password: String) async throws -> Principal? {
        let key = digest.digest(user, password)
        if let known = remembered.withLockedValue({ $0[key] }), clock.nowMillis() - known.verifiedAt < Self.reuseSeconds * 1000 {
            return known.principal
        }
        // Many requests with the same credential at once (tills after a restart) share one check.
        let check = checking.withLockedValue { checks in
            if let running = checks[key] { return running }
            let check = Task {
                defer { _ = self.checking.withLockedValue { $0.removeValue(forKey: key) } }
                return try await self.check(user: user, password: password, key: key)
            }
            checks[key] = check
            return check
        }
        return try await check.value
    }

    private func check(user: String, password: String, key: String) async throws -> Principal? {
        let now = clock.nowMillis()
        let known = remembered.withLockedValue { $0[key] }
        let stored = try await storage.user(named: user)
        // The same password verified against the same stored hash needs no second bcrypt check.
        let stillVerified = known != nil && stored?.passwordHash == known?.passwordHash
        if !stillVerified {
            guard try await PasswordHasher.verify(password, against: stored?.passwordHash) else { return nil }
        }
        guard let stored, !stored.disabled else { return nil }
        remember(key, Remembered(principal: stored.principal, passwordHash: stored.passwordHash, verifiedAt: now))
        return stored.principal
    }

    /// The principal of the API token whose fingerprint this is (the throttle has computed it).
    public func principal(apiTokenFingerprint fingerprint: String) async throws -> Principal? {
        guard let principal = try await storage.principal(forAPIToken: fingerprint) else { return nil }
        // When a token was last used is noted at most once a minute: a write per request would
        // put every integration's calls on the writer.
        let now = clock.nowMillis()
        let due = tokenUses.withLockedValue { uses in
            guard now - (uses[fingerprint] ?? .min / 2) >= Self.tokenUseResolution else { return false }
            if uses.count >= Self.maximumRemembered { uses.removeAll(keepingCapacity: true) }
            uses[fingerprint] = now
            return true
        }
        if due { try await storage.noteAPITokenUse(fingerprint: fingerprint, at: now) }
        return principal
    }

    func session(token: String) async throws -> (principal: Principal, xsrfFingerprint: String)? {
        try await storage.session(fingerprint: SecretToken.fingerprint(token), now: clock.nowMillis())
    }

    private func remember(_ key: String, _ entry: Remembered) {
        remembered.withLockedValue { entries in
            if entries.count >= Self.maximumRemembered { entries.removeAll(keepingCapacity: true) }
            entries[key] = entry
        }
    }
}
