import Foundation

/// How numbers and date-times are written inside the agent's messages: by `SO-Culture` when a
/// language was chosen, else by that language; in the caller's `SO-TimeZone`, else UTC.
public struct ErpCulture: Sendable {
    public let locale: Locale
    public let timeZone: TimeZone

    public init(language: ErpLanguage?, culture: String?, timeZone: TimeZone) {
        let identifier: String =
            switch language {
            case nil: "en_US_POSIX"
            case let language?: culture.flatMap(Self.identifier) ?? Self.defaultIdentifier(language)
            }
        locale = Locale(identifier: identifier)
        self.timeZone = timeZone
    }

    public func number(_ value: Int) -> String {
        let formatter = NumberFormatter()
        formatter.locale = locale
        formatter.numberStyle = .decimal
        return formatter.string(from: NSNumber(value: value)) ?? String(value)
    }

    public func dateTime(millis: Int64) -> String {
        let formatter = DateFormatter()
        formatter.locale = locale
        formatter.timeZone = timeZone
        formatter.dateStyle = .short
        formatter.timeStyle = .medium
        return formatter.string(from: Date(timeIntervalSince1970: Double(millis) / 1000))
    }

    /// `sv`, `de-CH` or `nb_NO` as a locale identifier; nil for what is not a language tag.
    private static func identifier(_ culture: String) -> String? {
        let parts = culture.trimmingOptionalWhitespace.split(whereSeparator: { $0 == "-" || $0 == "_" })
        guard let language = parts.first, (2...3).contains(language.count), language.allSatisfy({ $0.isASCII && $0.isLetter }) else { return nil }
        return ([language.lowercased()] + parts.dropFirst().map { $0.uppercased() }).joined(separator: "_")
    }

    private static func defaultIdentifier(_ language: ErpLanguage) -> String {
        switch language {
        case .en: "en_GB"
        case .sv: "sv_SE"
        case .no: "nb_NO"
        case .da: "da_DK"
        case .de: "de_DE"
        case .nl: "nl_NL"
        }
    }
}
