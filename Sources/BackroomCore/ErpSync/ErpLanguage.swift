/// The languages the ErpSync agent answers in. Chosen by `SO-Language`, else by
/// `Accept-Language` with its q-values; anything else falls back to English.
public enum ErpLanguage: String, Sendable, CaseIterable {
    case en, sv, no, da, de, nl

    public static let fallback = ErpLanguage.en

    /// The language a request asks for, or nil when it names none of ours (so `SO-Culture`,
    /// which only refines a chosen language, is ignored).
    public static func chosen(soLanguage: String?, acceptLanguage: String?) -> ErpLanguage? {
        if let soLanguage, let language = ErpLanguage(tag: soLanguage) { return language }
        guard let acceptLanguage else { return nil }
        var best: (language: ErpLanguage, quality: Double)?
        for range in acceptLanguage.split(separator: ",") {
            let parts = range.split(separator: ";").map { String($0.trimmingOptionalWhitespace) }
            guard let tag = parts.first, let language = ErpLanguage(tag: tag) else { continue }
            var quality = 1.0
            for parameter in parts.dropFirst() where parameter.lowercased().hasPrefix("q=") {
                quality = Double(parameter.dropFirst(2)) ?? 0
            }
            // The first of equal weights wins, as the header lists its preference first.
            if quality > 0, quality > (best?.quality ?? 0) { best = (language, quality) }
        }
        return best?.language
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
