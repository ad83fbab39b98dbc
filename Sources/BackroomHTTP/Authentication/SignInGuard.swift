import BackroomCore
import BackroomStorage
import NIOConcurrencyHelpers

/// Checks passwords and API tokens as `CredentialVerifier` does, after `SignInThrottle` has
/// allowed the attempt, and counts the failures: every way in (Basic, Bearer, SoTicket, the
/// sign-in form and `POST /api/v1/login`) goes through here. The moment an address or a user
/// there becomes throttled is written to the audit log.
final class SignInGuard: Sendable {
    private let verifier: CredentialVerifier
    private let audit: any AuditStore
    private let clock: BackroomClock
    private let throttle = NIOLockedValueBox(SignInThrottle())

    init(verifier: CredentialVerifier, audit: any AuditStore, clock: BackroomClock) {
        self.verifier = verifier
        self.audit = audit
        self.clock = clock
    }

    func principal(user: String, password: String, from address: String) async throws -> Principal? {
        try await attempt(SignInThrottle.keys(user: user, address: address), by: user, from: address) {
            try await self.verifier.principal(user: user, password: password)
        }
    }

    func principal(apiToken: String, from address: String) async throws -> Principal? {
        try await attempt(SignInThrottle.keys(user: nil, address: address), by: "token", from: address) {
            try await self.verifier.principal(apiToken: apiToken)
        }
    }

    private func attempt(
        _ keys: [SignInThrottle.Key], by actor: String, from address: String, _ verify: @Sendable () async throws -> Principal?
    ) async throws -> Principal? {
        if let wait = throttle.withLockedValue({ $0.refusal(keys, at: clock.nowMillis()) }) {
            throw AccessRefusal.throttled(retryAfterSeconds: Int((wait + 999) / 1000))
        }
        if let principal = try await verify() { return principal }
        let now = clock.nowMillis()
        let throttled = throttle.withLockedValue { $0.recordFailure(keys, at: now) }
        for key in throttled {
            let target = switch key {
            case .address(let address): "address \(address)"
            case .user(let user, let address): "user \(user) at \(address)"
            }
            try await audit.recordAudit(.new(
                at: now, actor: actor, channel: .api, origin: address, action: "signin.throttled", target: target,
                detail: .object(["failures": .integer(Int64(SignInThrottle.limit)), "windowSeconds": .integer(SignInThrottle.windowMillis / 1000)])
            ))
        }
        return nil
    }
}
