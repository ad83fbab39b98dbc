/// When a connection is closed for saying too little (the spec's "HTTP behaviour common to
/// every family"): a request's head must arrive in full within `header` of its first byte (or
/// of the connection's start), and a connection between requests may sit idle for `idle`.
/// While a request is being answered nothing here runs out: a long poll waits its 50 s, and a
/// body is bounded by the body limit.
///
/// Pure and generic over the clock: the channel handler feeds it what happens and asks it for
/// the next deadline; a test moves a clock.
public struct ConnectionDeadlines<C: Clock>: Sendable where C.Instant: Sendable {
    public struct Limits: Sendable, Equatable {
        public let header: C.Duration
        public let idle: C.Duration

        public init(header: C.Duration, idle: C.Duration) {
            self.header = header
            self.idle = idle
        }
    }

    enum State: Sendable {
        /// Waiting for a head whose first byte came (or the connection opened) at `since`.
        case receivingHead(since: C.Instant)
        /// Between requests since `since`, nothing of the next one seen.
        case idle(since: C.Instant)
        /// Requests whose heads are in and whose answers are not all written.
        case busy(requests: Int)
    }

    public let limits: Limits
    private(set) var state: State

    public init(limits: Limits, openedAt now: C.Instant) {
        self.limits = limits
        state = .receivingHead(since: now)
    }

    /// Bytes arrived: the first of a request starts its header deadline.
    public mutating func bytesRead(at now: C.Instant) {
        if case .idle = state { state = .receivingHead(since: now) }
    }

    /// A request's head is in.
    public mutating func headRead() {
        if case .busy(let requests) = state {
            state = .busy(requests: requests + 1)
        } else {
            state = .busy(requests: 1)
        }
    }

    /// An answer was written to its end.
    public mutating func responseEnded(at now: C.Instant) {
        guard case .busy(let requests) = state else { return }
        state = requests > 1 ? .busy(requests: requests - 1) : .idle(since: now)
    }

    /// When the connection is to be closed unless something happens first; nil while busy.
    public var deadline: C.Instant? {
        switch state {
        case .receivingHead(let since): since.advanced(by: limits.header)
        case .idle(let since): since.advanced(by: limits.idle)
        case .busy: nil
        }
    }

    /// Whether the connection is to be closed now.
    public func hasRunOut(at now: C.Instant) -> Bool {
        deadline.map { now >= $0 } ?? false
    }
}

/// How many connections a server keeps open at once; past it a new one is answered 503 and
/// closed, so that a flood takes neither every descriptor nor the health check's turn.
public struct ConnectionLimits: Sendable, Equatable {
    public static let defaultHeaderSeconds = 20
    public static let defaultIdleSeconds = 75
    public static let defaultMaximum = 10_000

    public let headerSeconds: Int
    public let idleSeconds: Int
    public let maximum: Int

    public init(
        headerSeconds: Int = defaultHeaderSeconds, idleSeconds: Int = defaultIdleSeconds, maximum: Int = defaultMaximum
    ) {
        self.headerSeconds = headerSeconds
        self.idleSeconds = idleSeconds
        self.maximum = maximum
    }

    public var deadlines: ConnectionDeadlines<ContinuousClock>.Limits {
        .init(header: .seconds(headerSeconds), idle: .seconds(idleSeconds))
    }
}
