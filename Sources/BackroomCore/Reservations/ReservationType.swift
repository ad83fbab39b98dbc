/// How a reservation treats items that are short.
public enum ReservationType: String, Sendable, Equatable, CaseIterable {
    /// All items or nothing.
    case complete = "COMPLETE"
    /// Each item as much as is available.
    case partly = "PARTLY"

    init?(caseInsensitive text: String) {
        self.init(rawValue: text.uppercased())
    }
}
