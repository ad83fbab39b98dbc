/// A figure over the last hour, a slot per minute, kept in memory: what the console's charts
/// draw. A slot is reused when its minute comes round again an hour later, so the series never
/// grows; a minute in which nothing was recorded is unknown (nil), not zero.
public struct MinuteSeries: Sendable, Equatable {
    public static let minutes = 60

    private var values = [Double?](repeating: nil, count: minutes)
    /// The minute (since the epoch) each slot holds, so that an old slot reads as unknown.
    private var minuteOfSlot = [Int64](repeating: -1, count: minutes)

    public init() {}

    /// Adds to the minute's count (requests, refusals).
    public mutating func add(_ amount: Double, at millis: Int64) {
        let slot = claim(at: millis)
        values[slot] = (values[slot] ?? 0) + amount
    }

    /// Keeps the largest reading of the minute (a lag sampled several times a minute).
    public mutating func record(_ value: Double, at millis: Int64) {
        let slot = claim(at: millis)
        values[slot] = max(values[slot] ?? value, value)
    }

    /// The hour ending with the minute of `millis`, oldest minute first: always `minutes` values.
    public func lastHour(endingAt millis: Int64) -> [Double?] {
        let now = Self.minute(of: millis)
        return (now - Int64(Self.minutes) + 1...now).map { minute in
            let slot = Self.slot(of: minute)
            return minuteOfSlot[slot] == minute ? values[slot] : nil
        }
    }

    /// The sum of the hour ending at `millis` (unknown minutes count as none).
    public func total(endingAt millis: Int64) -> Double {
        lastHour(endingAt: millis).reduce(0) { $0 + ($1 ?? 0) }
    }

    private mutating func claim(at millis: Int64) -> Int {
        let minute = Self.minute(of: millis)
        let slot = Self.slot(of: minute)
        if minuteOfSlot[slot] != minute {
            minuteOfSlot[slot] = minute
            values[slot] = nil
        }
        return slot
    }

    private static func minute(of millis: Int64) -> Int64 {
        millis >= 0 ? millis / 60_000 : (millis - 59_999) / 60_000
    }

    private static func slot(of minute: Int64) -> Int {
        Int(((minute % Int64(minutes)) + Int64(minutes)) % Int64(minutes))
    }
}
