import BackroomCore
import Foundation

/// A comma-separated list of product ids in a path or query, as ATP and the stock look-up take it.
enum ProductIDList {
    static let maximumProducts = 1000

    /// The ids in order, separated by `,` or `%2C`, percent-decoded; 400 naming `field` unless there are 1 to 1,000 valid ids.
    static func parse(_ text: String, field: String) throws -> [String] {
        // Clients generated from the original's schema send the separator encoded as `%2C`.
        let separated = text.replacingOccurrences(of: "%2C", with: ",", options: .caseInsensitive)
        let ids = separated.split(separator: ",", omittingEmptySubsequences: false).map { String($0).removingPercentEncoding ?? String($0) }
        guard ids.count <= maximumProducts, ids.allSatisfy(ProductID.isValid) else {
            throw EnvelopeError.field(
                field,
                "\(field) must be 1 to \(maximumProducts) comma-separated product ids of 1 to \(ProductID.maximumLength) characters"
            )
        }
        return ids
    }
}
