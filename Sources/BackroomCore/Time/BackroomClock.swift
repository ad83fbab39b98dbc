import Foundation

/// The one clock a process reads the time from, in milliseconds since 1970 (the unit every
/// stored instant uses on both databases). Given to the application, its storage and its
/// services: wall time in production, a clock a test moves on by hand instead of sleeping.
public struct BackroomClock: Sendable {
    private let read: @Sendable () -> Int64

    public init(_ read: @escaping @Sendable () -> Int64) {
        self.read = read
    }

    public func nowMillis() -> Int64 { read() }

    public func now() -> Date { Date(timeIntervalSince1970: Double(read()) / 1000) }

    /// Wall time: the only place that reads it.
    public static let system = BackroomClock { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }
}
