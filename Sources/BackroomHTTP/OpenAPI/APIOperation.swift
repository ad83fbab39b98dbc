import BackroomCore

/// One operation of the OpenAPI document: a method on a path, who may call it, what it takes
/// and what it answers.
struct APIOperation: Sendable {
    enum Family: String, Sendable, CaseIterable {
        case reservations = "Stock reservations"
        case status = "Store server status"
        case agent = "ErpSync agent"
        case admin = "Admin API"
        case stock = "Stock"
        case sessions = "Sessions"
        case sync = "Sync transport"
        case operations = "Operations"
        case console = "Console"
    }

    /// Which credentials open it.
    enum Access: Sendable {
        case none, user, session, storeToken
    }

    /// Where a client goes next from this operation's success, and with what: an OpenAPI link,
    /// which lets a tool chain calls (create a reservation, then read, change, commit it).
    struct Link: Sendable {
        let name: String
        let method: String
        let path: String
        /// Parameter name → runtime expression, e.g. `$response.body#/data/resvId`.
        let parameters: [String: String]
    }

    /// A body or an answer: a media type and its schema.
    struct Content: Sendable {
        let mediaType: String
        let schema: JSONValue

        static func json(_ schema: JSONValue) -> Content { Content(mediaType: "application/json", schema: schema) }
        static let html = Content(mediaType: "text/html", schema: .object(["type": .string("string")]))
        static let text = Content(mediaType: "text/plain", schema: .object(["type": .string("string")]))
        static let form = Content(mediaType: "application/x-www-form-urlencoded", schema: .object(["type": .string("object")]))
    }

    let method: String
    let path: String
    let family: Family
    let summary: String
    var access: Access = .user
    /// Where it is served; both roles unless said.
    var roles: Set<ServerRole> = [.central, .store]
    var request: [Content] = []
    /// Whether a request must have a body (an agent method without parameters takes none).
    var bodyRequired = true
    /// Query parameters, each a name and a schema.
    var query: [(name: String, schema: JSONValue)] = []
    /// Optional request headers, each a name and a schema.
    var headers: [(name: String, schema: JSONValue)] = []
    /// Status code → answer; the family's errors are added by the document.
    var answers: [(status: String, description: String, content: [Content])] = []
    /// Refusals of this operation beyond those of its family, in the family's error shape:
    /// status code → when.
    var refusals: [(status: String, description: String)] = []
    /// Links from the success answer.
    var links: [Link] = []

    /// `{name}` segments of the path.
    var pathParameters: [String] {
        path.split(separator: "/").filter { $0.hasPrefix("{") && $0.hasSuffix("}") }.map { String($0.dropFirst().dropLast()) }
    }
}

extension JSONValue {
    static func ref(_ name: String) -> JSONValue { .object(["$ref": .string("#/components/schemas/\(name)")]) }
    static func type(_ name: String) -> JSONValue { .object(["type": .string(name)]) }
    static let anyValue = JSONValue.object([:])
}
