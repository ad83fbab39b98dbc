/// When a connection is closed for saying too little (the spec's "HTTP behaviour common to
/// every family"): a request's head must arrive in full within `header` of its first byte (or
/// of the connection's start); a connection between requests, or a body that stops coming, may
/// sit idle for `idle`. Once a request is whole nothing here runs out while it is answered: a
/// long poll waits its 50 s.
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
        /// Requests whose heads are in and whose answers are not all written; `bodySince`, the
        /// last bytes of a body still being read.
        case busy(requests: Int, bodySince: C.Instant?)
    }

    public let limits: Limits
    private(set) var state: State

    public init(limits: Limits, openedAt now: C.Instant) {
        self.limits = limits
        state = .receivingHead(since: now)
    }

    /// Bytes arrived: the first of a request starts its header deadline; those of a body
    /// being read keep it alive.
    public mutating func bytesRead(at now: C.Instant) {
        switch state {
        case .idle: state = .receivingHead(since: now)
        case .busy(let requests, _?): state = .busy(requests: requests, bodySince: now)
        case .receivingHead, .busy(_, nil): break
        }
    }

    /// A request's head is in; its body (if any) follows.
    public mutating func headRead(at now: C.Instant) {
        let requests = if case .busy(let requests, _) = state { requests } else { 0 }
        state = .busy(requests: requests + 1, bodySince: now)
    }

    /// A request is whole: only its answer is owed.
    public mutating func requestEnded() {
        if case .busy(let requests, _) = state { state = .busy(requests: requests, bodySince: nil) }
    }

    /// An answer was written to its end.
    public mutating func responseEnded(at now: C.Instant) {
        guard case .busy(let requests, let bodySince) = state else { return }
        state = requests > 1 ? .busy(requests: requests - 1, bodySince: bodySince) : .idle(since: now)
    }

    /// When the connection is to be closed unless something happens first; nil while a whole
    /// request is answered.
    public var deadline: C.Instant? {
        switch state {
        case .receivingHead(let since): since.advanced(by: limits.header)
        case .idle(let since), .busy(_, let since?): since.advanced(by: limits.idle)
        case .busy(_, nil): nil
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
        headerSeconds: Int = defaultHeaderSeconds,
        idleSeconds: Int = defaultIdleSeconds,
        maximum: Int = defaultMaximum
    ) {
        self.headerSeconds = headerSeconds
        self.idleSeconds = idleSeconds
        self.maximum = maximum
    }

    public var deadlines: ConnectionDeadlines<ContinuousClock>.Limits {
        .init(header: .seconds(headerSeconds), idle: .seconds(idleSeconds))
    }
}
