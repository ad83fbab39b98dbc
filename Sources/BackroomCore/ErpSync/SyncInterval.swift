/// How long the engine waits between rounds, written as .NET writes a `TimeSpan`: `hh:mm:ss`,
/// or `d.hh:mm:ss` from a day on; from one second to one day.
public struct SyncInterval: Sendable, Equatable, CustomStringConvertible {
    public static let shortest = 1
    public static let longest = 86_400
    public static let standard = SyncInterval(validSeconds: 300)

    public let seconds: Int

    private init(validSeconds: Int) { seconds = validSeconds }

    /// nil unless `seconds` lies within the bounds.
    public init?(seconds: Int) {
        guard (Self.shortest...Self.longest).contains(seconds) else { return nil }
        self.seconds = seconds
    }

    /// Reads `hh:mm:ss` or `d.hh:mm:ss` (hours below 24, minutes and seconds below 60, each
    /// field two digits but the days); nil for anything else or out of bounds.
    public init?(text: String) {
        var rest = Substring(text)
        var days = 0
        if let dot = rest.firstIndex(of: ".") {
            guard let parsed = Self.digits(rest[..<dot], count: nil) else { return nil }
            days = parsed
            rest = rest[rest.index(after: dot)...]
        }
        let fields = rest.split(separator: ":", omittingEmptySubsequences: false)
        guard fields.count == 3, let hours = Self.digits(fields[0], count: 2), let minutes = Self.digits(fields[1], count: 2),
              let seconds = Self.digits(fields[2], count: 2), hours < 24, minutes < 60, seconds < 60, days <= 1
        else { return nil }
        self.init(seconds: ((days * 24 + hours) * 60 + minutes) * 60 + seconds)
    }

    public var description: String {
        let days = seconds / 86_400
        let clock = [seconds / 3600 % 24, seconds / 60 % 60, seconds % 60].map { $0 < 10 ? "0\($0)" : "\($0)" }.joined(separator: ":")
        return days > 0 ? "\(days).\(clock)" : clock
    }

    private static func digits(_ text: Substring, count: Int?) -> Int? {
        guard !text.isEmpty, text.count <= (count ?? 2), count == nil || text.count == count,
              text.allSatisfy({ $0.isASCII && $0.isNumber })
        else { return nil }
        return Int(text)
    }
}
