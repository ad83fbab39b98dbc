/// The languages the ErpSync agent answers in. Chosen by `SO-Language`, else by
/// `Accept-Language` with its q-values; anything else falls back to English.
public enum ErpLanguage: String, Sendable, CaseIterable {
    case en, sv, no, da, de, nl

    public static let fallback = ErpLanguage.en

    /// The language a request asks for, or nil when it names none of ours (so `SO-Culture`,
    /// which only refines a chosen language, is ignored).
    public static func chosen(soLanguage: String?, acceptLanguage: String?) -> ErpLanguage? {
        if let soLanguage, let language = ErpLanguage(tag: soLanguage) { return language }
        return acceptLanguage.flatMap { WeightedChoices.best(in: $0, ErpLanguage.init(tag:)) }
    }

    /// `sv`, `sv-SE` or `SV_se` mean Swedish; Norwegian Bokmål and Nynorsk (`nb`, `nn`) are `no`.
    public init?(tag: String) {
        let primary = tag.trimmingOptionalWhitespace.lowercased().split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map(String.init) ?? ""
        switch primary {
        case "nb", "nn": self = .no
        default:
            guard let language = ErpLanguage(rawValue: primary) else { return nil }
            self = language
        }
    }
}
