import Foundation

/// The one clock a process reads the time from and waits on: wall time in milliseconds since
/// 1970 (the unit every stored instant uses on both databases), and, as a `Clock`, the monotonic
/// time every timer sleeps on and every duration is measured with. Given to the application, its
/// storage and its services: the system's in production, a clock a test moves on by hand
/// instead of sleeping.
public struct BackroomClock: Clock, Sendable {
    public typealias Duration = Swift.Duration

    /// A point of the monotonic time, as the time since the clock's origin.
    public struct Instant: InstantProtocol, Sendable {
        public let sinceOrigin: Swift.Duration

        public init(sinceOrigin: Swift.Duration) {
            self.sinceOrigin = sinceOrigin
        }

        public func advanced(by duration: Swift.Duration) -> Instant { Instant(sinceOrigin: sinceOrigin + duration) }
        public func duration(to other: Instant) -> Swift.Duration { other.sinceOrigin - sinceOrigin }
        public static func < (left: Instant, right: Instant) -> Bool { left.sinceOrigin < right.sinceOrigin }
    }

    private let readWall: @Sendable () -> Int64
    private let readMonotonic: @Sendable () -> Swift.Duration
    private let sleeper: @Sendable (Instant, Swift.Duration?) async throws -> Void

    /// A clock of the given wall time, monotonic time and sleep.
    public init(
        wall: @escaping @Sendable () -> Int64,
        monotonic: @escaping @Sendable () -> Swift.Duration,
        sleep: @escaping @Sendable (Instant, Swift.Duration?) async throws -> Void
    ) {
        readWall = wall
        readMonotonic = monotonic
        sleeper = sleep
    }

    /// A clock of the given wall time whose durations are the system's.
    public init(_ read: @escaping @Sendable () -> Int64) {
        self.init(wall: read, monotonic: Self.systemMonotonic, sleep: Self.systemSleep)
    }

    public func nowMillis() -> Int64 { readWall() }

    public func date() -> Date { Date(timeIntervalSince1970: Double(readWall()) / 1000) }

    public var now: Instant { Instant(sinceOrigin: readMonotonic()) }

    public var minimumResolution: Swift.Duration { .milliseconds(1) }

    public func sleep(until deadline: Instant, tolerance: Swift.Duration?) async throws {
        try await sleeper(deadline, tolerance)
    }

    /// Wall and monotonic time as the system keeps them: the only place that reads them.
    public static let system = BackroomClock(
        wall: { Int64((Date().timeIntervalSince1970 * 1000).rounded()) },
        monotonic: systemMonotonic,
        sleep: systemSleep
    )

    private static let origin = ContinuousClock.now

    private static let systemMonotonic: @Sendable () -> Swift.Duration = { origin.duration(to: ContinuousClock.now) }

    private static let systemSleep: @Sendable (Instant, Swift.Duration?) async throws -> Void = { deadline, tolerance in
        try await ContinuousClock().sleep(until: origin.advanced(by: deadline.sinceOrigin), tolerance: tolerance)
    }
}
