import BackroomCore
import BackroomSecurity
import BackroomStorage
import NIOConcurrencyHelpers

/// Checks passwords and API tokens as `CredentialVerifier` does, after `SignInThrottle` has
/// allowed the attempt, and counts the failures: every way in (Basic, Bearer, SoTicket, the
/// sign-in form and `POST /api/v1/login`) goes through here. The moment an address or a user
/// there becomes throttled is written to the audit log.
final class SignInGuard: Sendable {
    /// How long the limit read from the preferences is used before it is read again.
    static let limitReuseMillis: Int64 = 10_000

    private let verifier: CredentialVerifier
    private let storage: any AuditStore & PreferenceStore
    private let clock: BackroomClock
    private let throttle = NIOLockedValueBox(SignInThrottle())
    private let limit = NIOLockedValueBox<(value: Int, readAt: Int64)?>(nil)

    init(verifier: CredentialVerifier, storage: any AuditStore & PreferenceStore, clock: BackroomClock) {
        self.verifier = verifier
        self.storage = storage
        self.clock = clock
    }

    /// `backroom.signInFailureLimit`, read at most every 10 s: every request with credentials asks.
    private func currentLimit() async -> Int {
        let now = clock.nowMillis()
        if let known = limit.withLockedValue({ $0 }), now - known.readAt < Self.limitReuseMillis { return known.value }
        let stored = (try? await storage.storedPreference(.signInFailureLimit)) ?? nil
        let value = Preference.signInFailureLimit.effectiveValue(stored: stored)
        limit.withLockedValue { $0 = (value, now) }
        return value
    }

    func principal(user: String, password: String, from address: String) async throws -> Principal? {
        try await attempt(SignInThrottle.Attempt(.password(user: user), from: address), by: user) {
            try await self.verifier.principal(user: user, password: password)
        }
    }

    func principal(apiToken: String, from address: String) async throws -> Principal? {
        let fingerprint = SecretToken.fingerprint(apiToken)
        return try await attempt(SignInThrottle.Attempt(.token(fingerprint: fingerprint), from: address), by: "token") {
            try await self.verifier.principal(apiTokenFingerprint: fingerprint)
        }
    }

    private func attempt(
        _ attempt: SignInThrottle.Attempt,
        by actor: String,
        _ verify: @Sendable () async throws -> Principal?
    ) async throws -> Principal? {
        let limit = await currentLimit()
        if let wait = throttle.withLockedValue({ $0.refusal(attempt, at: clock.nowMillis(), limit: limit) }) {
            throw AccessRefusal.throttled(retryAfterSeconds: Int((wait + 999) / 1000))
        }
        if let principal = try await verify() {
            throttle.withLockedValue { $0.recordSuccess(attempt, at: clock.nowMillis()) }
            return principal
        }
        let now = clock.nowMillis()
        let throttled = throttle.withLockedValue { $0.recordFailure(attempt, at: now, limit: limit) }
        for key in throttled {
            let (target, failures) =
                switch key {
                case .address(let address): ("address \(address)", limit)
                case .credential(.password(let user), let address): ("user \(user) at \(address)", limit)
                case .credential(.token, let address): ("a token at \(address)", limit)
                case .user(let user): ("user \(user) at unknown addresses", limit * SignInThrottle.acrossAddressesFactor)
                }
            try await storage.recordAudit(
                .new(
                    at: now,
                    actor: actor,
                    channel: .api,
                    origin: attempt.address,
                    action: "signin.throttled",
                    target: target,
                    detail: .object(["failures": .integer(Int64(failures)), "windowSeconds": .integer(SignInThrottle.windowMillis / 1000)])
                )
            )
        }
        return nil
    }
}
