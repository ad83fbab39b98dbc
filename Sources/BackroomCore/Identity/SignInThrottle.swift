/// Failed sign-ins counted per client address and per user at an address: after `limit` failures
/// (`backroom.signInFailureLimit`, 5 unless set) within `windowMillis`, every further attempt on that address (or by that user there) is
/// refused, a right password too, until the window has passed over the failures. Successes are
/// not counted and cost nothing but a look-up, so a client that authenticates every request is
/// never slowed.
///
/// A counter per user alone, across addresses, would let anyone lock the web shop's user out by
/// failing five times with its name; so a user is counted at each address.
public struct SignInThrottle: Sendable {
    public static let defaultLimit = 5
    public static let windowMillis: Int64 = 15 * 60 * 1000
    /// Beyond this many keys the oldest are forgotten, so a flood of addresses cannot grow it.
    public static let maximumKeys = 100_000

    /// What a failure or an attempt is counted under.
    public enum Key: Hashable, Sendable {
        case address(String)
        case user(String, at: String)
    }

    private var failures: [Key: [Int64]] = [:]

    public init() {}

    /// The keys of an attempt by `user` (nil: a token, which names nobody) from `address`.
    public static func keys(user: String?, address: String) -> [Key] {
        [.address(address)] + (user.map { [.user($0, at: address)] } ?? [])
    }

    /// How long until an attempt under `keys` may be made, in milliseconds; nil when it may now.
    public func refusal(_ keys: [Key], at now: Int64, limit: Int = defaultLimit) -> Int64? {
        let waits = keys.compactMap { key -> Int64? in
            let recent = (failures[key] ?? []).filter { now - $0 < Self.windowMillis }
            guard recent.count >= limit else { return nil }
            // Free again once the window has passed the failure that made the count reach the limit.
            return recent[recent.count - limit] + Self.windowMillis - now
        }
        return waits.max()
    }

    /// Counts a failed attempt; answers the keys it made throttled just now.
    public mutating func recordFailure(_ keys: [Key], at now: Int64, limit: Int = defaultLimit) -> [Key] {
        if failures.count >= Self.maximumKeys { forgetExpired(at: now) }
        if failures.count >= Self.maximumKeys, let anyKey = failures.keys.first { failures[anyKey] = nil }
        var throttled: [Key] = []
        for key in keys {
            var recent = (failures[key] ?? []).filter { now - $0 < Self.windowMillis }
            recent.append(now)
            failures[key] = recent
            if recent.count == limit { throttled.append(key) }
        }
        return throttled
    }

    private mutating func forgetExpired(at now: Int64) {
        failures = failures.filter { $0.value.contains { now - $0 < Self.windowMillis } }
    }
}
