import BackroomCore
import Hummingbird

/// `?limit=` and `?after=` of a list: how many items a page holds (1 to 500, 50 unless asked)
/// and the cursor a previous page answered as `next`.
struct ListPaging: Sendable {
    static let defaultLimit = 50
    static let limits = 1...500

    let limit: Int
    let after: String?

    init(_ request: Request) throws {
        let parameters = request.uri.queryParameters
        if let text = parameters.get("limit") {
            guard let limit = Int(text), Self.limits.contains(limit) else {
                throw EnvelopeError.field("limit", "limit must be a whole number from \(Self.limits.lowerBound) to \(Self.limits.upperBound)")
            }
            self.limit = limit
        } else {
            limit = Self.defaultLimit
        }
        after = parameters.get("after").flatMap { $0.isEmpty ? nil : $0 }
        // No cursor holds U+0000, and PostgreSQL refuses it in text.
        if after?.unicodeScalars.contains("\u{0}") == true {
            throw EnvelopeError.field("after", "after must be the next cursor a previous page answered")
        }
    }

    /// The cursor as the id it stands for; 400 naming `after` for anything else.
    var afterId: Int64? {
        get throws {
            guard let after else { return nil }
            guard let id = Int64(after), id > 0 else { throw EnvelopeError.field("after", "after must be the next cursor a previous page answered") }
            return id
        }
    }
}

extension Envelope {
    /// A page of a list and where the next one starts (`null` after the last).
    static func page(_ items: Payload, next: String?) -> Envelope {
        var envelope = Envelope.success(items)
        envelope.next = next.map(JSONValue.string) ?? .null
        return envelope
    }
}
