import Foundation

/// `yyyy-MM-dd HH:mm:ss`, the reservation service's way of writing an instant, and ISO 8601.
public enum LocalTimestamp {
    /// `format` in `zone`, at its offset at that instant.
    public static func format(millis: Int64, in zone: TimeZone) -> String {
        format(millis: millis, offsetSeconds: offset(of: zone, at: millis))
    }

    /// `iso8601` in `zone`, with its offset at that instant.
    public static func iso8601(millis: Int64, in zone: TimeZone, fraction: Bool = false) -> String {
        iso8601(millis: millis, offsetSeconds: offset(of: zone, at: millis), fraction: fraction)
    }

    private static func offset(of zone: TimeZone, at millis: Int64) -> Int {
        zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(millis) / 1000))
    }

    /// Formats `millis` since 1970 as local time `offsetSeconds` east of UTC.
    public static func format(millis: Int64, offsetSeconds: Int) -> String {
        let (date, time) = fields(millis: millis, offsetSeconds: offsetSeconds)
        return "\(date) \(time)"
    }

    /// ISO 8601 with its offset, for the APIs that write instants so: `2025-11-24T16:00:00Z` in
    /// UTC, `2025-11-24T17:00:00+01:00` an hour east of it.
    /// With `fraction`, the milliseconds too: `2025-11-24T17:00:00.120+01:00`.
    public static func iso8601(millis: Int64, offsetSeconds: Int, fraction: Bool = false) -> String {
        let (date, clock) = fields(millis: millis, offsetSeconds: offsetSeconds)
        let time = fraction ? "\(clock).\(pad((millis % 1000 + 1000) % 1000, 3))" : clock
        guard offsetSeconds != 0 else { return "\(date)T\(time)Z" }
        let minutes = Int64(abs(offsetSeconds) / 60)
        return "\(date)T\(time)\(offsetSeconds < 0 ? "-" : "+")\(pad(minutes / 60, 2)):\(pad(minutes % 60, 2))"
    }

    /// `yyyy-MM-dd` and `HH:mm:ss` of local time `offsetSeconds` east of UTC.
    private static func fields(millis: Int64, offsetSeconds: Int) -> (date: String, time: String) {
        let seconds = Int64((Double(millis) / 1000).rounded(.down)) + Int64(offsetSeconds)
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civilDate(daysSince1970: days)
        return (
            "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))",
            "\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay % 3600 / 60, 2)):\(pad(secondOfDay % 60, 2))"
        )
    }

    /// Howard Hinnant's days-to-civil algorithm for the proleptic Gregorian calendar.
    static func civilDate(daysSince1970 days: Int64) -> (Int64, Int64, Int64) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func pad(_ number: Int64, _ width: Int) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
