/// What a store's link to central decides, without I/O: which central and token to use, what a
/// failure leads to, what a pull's answer asks for, when to ask again, and the store's own status.
/// The link's two loops (pull and push) hold one of these under a lock, tell it what happened and
/// perform what it returns.
public struct StoreLinkMachine: Sendable {
    public enum Loop: Sendable, Hashable {
        case pull, push
    }

    /// An exchange that failed, as a loop saw it.
    public struct Failure: Sendable, Equatable {
        /// Central's HTTP status, when it answered.
        public let status: Int?
        /// Central answered in an older sync protocol than the store's.
        public let centralIsOlder: Bool
        /// What went wrong, for the log and the console.
        public let reason: String
        /// The token the failed request carried.
        public let tokenUsed: String

        public init(status: Int?, centralIsOlder: Bool = false, reason: String, tokenUsed: String) {
            self.status = status
            self.centralIsOlder = centralIsOlder
            self.reason = reason
            self.tokenUsed = tokenUsed
        }

        /// No answer at all, or a proxy's "no server behind me": another central may answer.
        var centralStoppedAnswering: Bool {
            status.map { [502, 503, 504].contains($0) } ?? true
        }
    }

    /// What a loop does after a failure.
    public enum Recovery: Sendable, Equatable {
        /// Central no longer takes the token it gave (an operator forced another and started the
        /// store with it): forget it, stored too, and ask again with the configured one.
        case forgetGivenToken
        /// Sent with a token the other loop has just replaced: again with the new one, at once.
        case retryWithNewToken
        /// A failure to report (`failedURL` is the central that failed): again after a pause of
        /// `backOff(failures)`, or at once when another central is tried (`movedTo`).
        case retry(failedURL: String, movedTo: String?, backOffFailures: Int?)
    }

    /// What a pull's answer asks for, before its movements are applied.
    public enum PullDecision: Sendable, Equatable {
        /// Central gave the store a new token: keep it (before it is used) and pull again.
        case keepToken(String)
        /// Central asked for a resync: start over and pull again.
        case startOver(resync: String)
        /// Central was restored from copies: forget what it no longer holds, then pull again.
        /// `pushAgain`: the push loop squares the store's movements with central's again.
        case forget([RestoreMark], pushAgain: Bool)
        /// Apply the page.
        case apply(pushAgain: Bool)
    }

    public static let pullSpacingMillis: Int64 = 500

    public let urls: [String]
    public private(set) var current = 0
    private let configuredToken: String
    /// The token central gave the store since it was started, if any.
    public private(set) var givenToken: String?
    private var failures: [Loop: Int] = [:]
    public private(set) var link = StoreLinkState()
    /// Whether the last pull left nothing to pull.
    public private(set) var caughtUp = false
    public private(set) var bootstrapped = false
    /// Whether this process has squared the store's own movements with central's (`OriginRecovery`).
    public private(set) var recovered = false
    /// Whether central last answered in an older sync protocol: then the store sends it nothing.
    public private(set) var centralIsOlder = false
    /// The store's own movements central lacks, as last counted.
    public private(set) var unsent: Int64 = 0
    /// The last failure (nil once an exchange works), what moved either way since the process
    /// started, and when an exchange last worked.
    public private(set) var lastError: String?
    public private(set) var moved = 0
    public private(set) var lastExchangeAt: Int64?

    public init(urls: [String], token: String) {
        precondition(!urls.isEmpty, "a store link needs central's URL")
        self.urls = urls
        configuredToken = token
    }

    public var centralURL: String { urls[current] }
    /// The token the store uses now: the one central gave it last, else its configured one.
    public var token: String { givenToken ?? configuredToken }
    public var status: ServerStatus { link.status }
    /// Whether the push loop may send: the store has loaded from central, which speaks its protocol.
    public var maySend: Bool { bootstrapped && !centralIsOlder }

    // MARK: tokens

    /// Uses the token central gave, once it is kept (or the one kept from an earlier run).
    public mutating func use(givenToken: String?) {
        self.givenToken = givenToken
    }

    public mutating func failed(_ loop: Loop, _ failure: Failure, at now: Int64) -> Recovery {
        if failure.status == 401, let given = givenToken, failure.tokenUsed == given, given != configuredToken {
            givenToken = nil
            return .forgetGivenToken
        }
        if failure.status == 401, failure.tokenUsed != token { return .retryWithNewToken }
        if failure.centralIsOlder { centralIsOlder = true }
        let count = (failures[loop] ?? 0) + 1
        failures[loop] = count
        link.linkFailed(at: now)
        let failedURL = centralURL
        lastError = "\(failedURL): \(failure.reason)"
        // The next central is tried at once, until each has failed once in a row.
        let movedTo = failure.centralStoppedAnswering ? moveOn(from: failedURL) : nil
        let movedOn = failure.centralStoppedAnswering && urls.count > 1
        return .retry(failedURL: failedURL, movedTo: movedTo, backOffFailures: movedOn && count < urls.count ? nil : count)
    }

    /// Moves to the next URL, unless the other loop moved on already; the URL moved to.
    private mutating func moveOn(from failed: String) -> String? {
        guard urls.count > 1, urls[current] == failed else { return nil }
        current = (current + 1) % urls.count
        return urls[current]
    }

    public mutating func succeeded(_ loop: Loop) {
        failures[loop] = 0
    }

    // MARK: status

    /// An exchange worked at `now`.
    public mutating func worked(at now: Int64) {
        lastError = nil
        lastExchangeAt = now
        link.linkWorked(nothingWaiting: caughtUp && unsent == 0)
    }

    public mutating func timePassed(to now: Int64, waitMillis: Int) {
        link.timePassed(to: now, waitMillis: waitMillis)
    }

    // MARK: pulling

    /// The store has loaded from central (again).
    public mutating func loaded(fresh: Bool) {
        if fresh { caughtUp = false }
        bootstrapped = true
    }

    /// Loading from central is due.
    public mutating func mustLoad() {
        bootstrapped = false
    }

    /// How long a pull may wait at central: the longest once caught up and ON, else not at all
    /// (the exchange that finds nothing waiting is what makes the store ON).
    public var pullWaitSeconds: Int {
        caughtUp && status == .online ? LongPoll.longestWaitSeconds : 0
    }

    /// Central answered a pull in the store's protocol; true when it had answered in an older one.
    public mutating func heardCentral() -> Bool {
        defer { centralIsOlder = false }
        return centralIsOlder
    }

    /// What the answer asks for: `tokenUsed` the pull's token, `resynced` the last resync started
    /// over for, `restores` the unapplied marks.
    public mutating func decide(
        nextToken: String?,
        tokenUsed: String,
        resync: String?,
        resynced: String?,
        held: Int64?,
        pushed: Int64,
        unappliedRestores: [RestoreMark]
    ) -> PullDecision {
        if let nextToken, nextToken != tokenUsed { return .keepToken(nextToken) }
        if let resync, resync != resynced { return .startOver(resync: resync) }
        // Central holds less than it was sent (restored from a copy): the push loop squares the
        // store's movements with it again and sends the rest.
        let pushAgain = held.map { $0 < pushed } ?? false
        if pushAgain { recovered = false }
        if !unappliedRestores.isEmpty { return .forget(unappliedRestores, pushAgain: pushAgain) }
        return .apply(pushAgain: pushAgain)
    }

    /// A page was applied; the pause before the next pull, which spaces pulls (a store woken by
    /// every reservation of a busy shop asks at most twice a second; a central that does not
    /// wait, an older one, is not asked more than before).
    public mutating func pulled(movements: Int, more: Bool, elapsedMillis: Int64) -> Int64 {
        moved += movements
        caughtUp = !more
        return more ? 0 : max(0, Self.pullSpacingMillis - elapsedMillis)
    }

    /// Told to start over: the next pull loads again.
    public mutating func startedOver() {
        caughtUp = false
    }

    // MARK: pushing

    public mutating func recoveredOwnMovements() {
        recovered = true
    }

    /// What central lacks of the store's movements: `recorded` of them, `pushed` sent.
    public mutating func counted(recorded: Int64, pushed: Int64) {
        unsent = max(0, recorded - pushed)
    }

    public mutating func pushed(_ count: Int) {
        moved += count
    }

    /// The pause before the next try: every second while the link works; after failures,
    /// exponentially longer with `jitter` (0.5 to 1, so that stores do not retry in step); while
    /// offline, the retry period. Never longer than the engine's interval, which caps the back-off
    /// (sync-engine.md, "Transport").
    public static func pause(offline: Bool, failures: Int, retrySeconds: Int, interval: SyncInterval, jitter: Double) -> Duration {
        let cap = Double(min(retrySeconds, interval.seconds))
        if offline { return .seconds(cap) }
        guard failures > 0 else { return .seconds(1) }
        return .milliseconds(Int64(min(cap, Double(1 << min(failures, 16))) * 1000 * jitter))
    }
}
