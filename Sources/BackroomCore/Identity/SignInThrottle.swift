/// Throttles the guesser, not the shop. Failed sign-ins are counted per client address, per
/// credential at an address, and per user across addresses; after `limit` failures
/// (`backroom.signInFailureLimit`, 5 unless set) within `windowMillis`:
///
/// - the credential at that address is refused, a right password too, until the window has
///   passed over the failures;
/// - the address is refused to every credential that has not signed in from there before:
///   a client that has (the web shop, a store forwarding its tills) is not the one guessing,
///   so a stranger behind the same load balancer cannot lock it out (the idea of OWASP's
///   "device cookies", for machine clients that keep no cookie);
/// - a user failing `acrossAddressesFactor` times the limit, spread over any addresses, is
///   refused at every address it has not signed in from: a guess spread over many addresses
///   is slowed while the user's known clients go on.
///
/// Successes cost a look-up and a note; a client that authenticates every request is never
/// slowed. Everything is bounded: a flood of addresses or names forgets the oldest first.
public struct SignInThrottle: Sendable {
    public static let defaultLimit = 5
    public static let windowMillis: Int64 = 15 * 60 * 1000
    /// A user is refused at unknown addresses after this many times the limit, over all of them.
    public static let acrossAddressesFactor = 4
    /// How long a credential that signed in from an address stays known there.
    public static let knownMillis: Int64 = 30 * 24 * 60 * 60 * 1000
    /// Beyond this many keys the oldest are forgotten, so a flood of addresses cannot grow it.
    public static let maximumKeys = 100_000

    /// What is presented: a user's password, or an API token (by its fingerprint, which names
    /// no user and is never guessed, so it is counted at its address only).
    public enum Credential: Hashable, Sendable {
        case password(user: String)
        case token(fingerprint: String)
    }

    /// One sign-in attempt.
    public struct Attempt: Hashable, Sendable {
        public let credential: Credential
        public let address: String

        public init(_ credential: Credential, from address: String) {
            self.credential = credential
            self.address = address
        }
    }

    /// What a failure is counted under, and what the audit log names when it becomes throttled.
    public enum Key: Hashable, Sendable {
        case address(String)
        case credential(Credential, at: String)
        case user(String)
    }

    private var failures: [Key: [Int64]] = [:]
    /// When each credential last signed in from each address.
    private var known: [Attempt: Int64] = [:]

    public init() {}

    /// How long until `attempt` may be made, in milliseconds; nil when it may now.
    public func refusal(_ attempt: Attempt, at now: Int64, limit: Int = defaultLimit) -> Int64? {
        if let wait = wait(.credential(attempt.credential, at: attempt.address), at: now, limit: limit) { return wait }
        if let signedIn = known[attempt], now - signedIn < Self.knownMillis { return nil }
        var waits = [wait(.address(attempt.address), at: now, limit: limit)]
        if case .password(let user) = attempt.credential {
            waits.append(wait(.user(user), at: now, limit: limit * Self.acrossAddressesFactor))
        }
        return waits.compactMap { $0 }.max()
    }

    /// Counts a failed attempt; answers the keys it made throttled just now.
    public mutating func recordFailure(_ attempt: Attempt, at now: Int64, limit: Int = defaultLimit) -> [Key] {
        if failures.count >= Self.maximumKeys { failures = failures.filter { $0.value.contains { now - $0 < Self.windowMillis } } }
        if failures.count >= Self.maximumKeys, let anyKey = failures.keys.first { failures[anyKey] = nil }
        var keys: [(Key, Int)] = [(.address(attempt.address), limit), (.credential(attempt.credential, at: attempt.address), limit)]
        if case .password(let user) = attempt.credential { keys.append((.user(user), limit * Self.acrossAddressesFactor)) }
        var throttled: [Key] = []
        for (key, keyLimit) in keys {
            var recent = (failures[key] ?? []).filter { now - $0 < Self.windowMillis }
            recent.append(now)
            failures[key] = recent
            if recent.count == keyLimit { throttled.append(key) }
        }
        return throttled
    }

    /// Notes a successful sign-in: the credential is known at its address from now on. A client
    /// that signs in with every request is noted again at most once a minute.
    public mutating func recordSuccess(_ attempt: Attempt, at now: Int64) {
        let noted = known[attempt]
        if let noted, now - noted < 60_000 { return }
        if noted == nil, known.count >= Self.maximumKeys {
            known = known.filter { now - $0.value < Self.knownMillis }
            if known.count >= Self.maximumKeys, let oldest = known.min(by: { $0.value < $1.value }) { known[oldest.key] = nil }
        }
        known[attempt] = now
    }

    private func wait(_ key: Key, at now: Int64, limit: Int) -> Int64? {
        let recent = (failures[key] ?? []).filter { now - $0 < Self.windowMillis }
        guard recent.count >= limit else { return nil }
        // Free again once the window has passed the failure that made the count reach the limit.
        return recent[recent.count - limit] + Self.windowMillis - now
    }
}
