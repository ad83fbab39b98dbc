import Foundation

/// The zone the agent writes date-times in, from `SO-TimeZone`: an IANA name (`Europe/Oslo`) or
/// the ISO 3166 code of a country with one time zone (`NO`), optionally followed by
/// `, includeTZOffset`. Without the header: UTC, no offset. A zone that cannot be resolved is
/// not an error: the answer is in UTC, with the offset, so that no reader mistakes the time.
public struct ErpTimeZone: Sendable {
    public let timeZone: TimeZone
    public let includesOffset: Bool

    public static let utc = ErpTimeZone(timeZone: TimeZone(identifier: "UTC")!, includesOffset: false)

    public init(timeZone: TimeZone, includesOffset: Bool) {
        self.timeZone = timeZone
        self.includesOffset = includesOffset
    }

    /// `countries`: each country's zones, as the time zone database's `zone.tab` lists them.
    public init(header: String?, countries: [String: [String]], at now: Date) {
        let parts = (header ?? "").split(separator: ",").map { String($0.trimmingOptionalWhitespace) }.filter { !$0.isEmpty }
        guard let name = parts.first else {
            self = .utc
            return
        }
        let withOffset = parts.dropFirst().contains { $0.caseInsensitiveCompare("includeTZOffset") == .orderedSame }
        if let zone = Self.zone(named: name, countries: countries, at: now) {
            self.init(timeZone: zone, includesOffset: withOffset)
        } else {
            self.init(timeZone: Self.utc.timeZone, includesOffset: true)
        }
    }

    private static func zone(named name: String, countries: [String: [String]], at now: Date) -> TimeZone? {
        if name.count == 2, name.allSatisfy({ $0.isASCII && $0.isLetter }) {
            let zones = (countries[name.uppercased()] ?? []).compactMap(TimeZone.init(identifier:))
            // One time zone: every zone of the country keeps the same offsets, summer and winter.
            let probes = [now, now.addingTimeInterval(182 * 86_400)]
            guard let first = zones.first,
                zones.allSatisfy({ zone in probes.allSatisfy { zone.secondsFromGMT(for: $0) == first.secondsFromGMT(for: $0) } })
            else { return nil }
            return first
        }
        return TimeZone(identifier: name)
    }

    /// Each country's zones from the text of `zone.tab`, in the file's order (its first zone
    /// for a country is the one covering most of it).
    public static func countries(zoneTab: String) -> [String: [String]] {
        var countries: [String: [String]] = [:]
        for line in zoneTab.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t")
            guard fields.count >= 3 else { continue }
            countries[String(fields[0]), default: []].append(String(fields[2]))
        }
        return countries
    }

    /// `2026-11-23T10:15:02`, or with the offset when asked for (`Z` for UTC).
    public func dateTime(millis: Int64) -> String {
        let written = LocalTimestamp.iso8601(millis: millis, in: timeZone)
        guard !includesOffset else { return written }
        return String(written.prefix(19))
    }
}
