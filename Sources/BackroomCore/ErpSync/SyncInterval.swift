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
    /// field two digits but the days), or an XSD duration (`PT5M`, `P1D`); nil for anything
    /// else or out of bounds.
    public init?(text: String) {
        if text.hasPrefix("P") {
            guard let seconds = Self.xsdSeconds(text) else { return nil }
            self.init(seconds: seconds)
            return
        }
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

    /// As XML Schema writes a duration: `PT5M`, `PT1H30M`, `P1D`.
    public var xsdDuration: String {
        let days = seconds / 86_400
        let hours = seconds / 3600 % 24
        let minutes = seconds / 60 % 60
        let rest = seconds % 60
        var time = ""
        if hours > 0 { time += "\(hours)H" }
        if minutes > 0 { time += "\(minutes)M" }
        if rest > 0 { time += "\(rest)S" }
        return "P" + (days > 0 ? "\(days)D" : "") + (time.isEmpty ? "" : "T" + time)
    }

    /// Whole seconds of `PnDTnHnMnS` (any part may be left out, none negative or fractional).
    private static func xsdSeconds(_ text: String) -> Int? {
        var total = 0
        var number = ""
        var inTime = false
        var seenUnit = false
        for character in text.dropFirst() {
            switch character {
            case "0"..."9":
                number.append(character)
                guard number.count <= 9 else { return nil }
            case "T" where !inTime && number.isEmpty:
                inTime = true
            case "D", "H", "M", "S":
                guard let value = Int(number), (character == "D") != inTime else { return nil }
                total += value * ["D": 86_400, "H": 3600, "M": 60, "S": 1][character]!
                number = ""
                seenUnit = true
            default:
                return nil
            }
        }
        guard seenUnit, number.isEmpty, !(inTime && text.hasSuffix("T")) else { return nil }
        return total
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
