/// Headers that list choices with weights, `Accept` and `Accept-Language`: `de;q=0.5, nl`.
public enum WeightedChoices {
    /// The best-weighted item that `match` knows, the first of equal weights (the header lists
    /// its preference first); `q=0` excludes an item. nil when no item matches.
    public static func best<Choice>(in header: String, _ match: (String) -> Choice?) -> Choice? {
        var best: (choice: Choice, quality: Double)?
        for item in header.split(separator: ",") {
            let parts = item.split(separator: ";").map { String($0.trimmingOptionalWhitespace) }
            guard let value = parts.first, let choice = match(value) else { continue }
            var quality = 1.0
            for parameter in parts.dropFirst() where parameter.lowercased().hasPrefix("q=") {
                quality = Double(parameter.dropFirst(2)) ?? 0
            }
            if quality > 0, quality > (best?.quality ?? 0) { best = (choice, quality) }
        }
        return best?.choice
    }
}
