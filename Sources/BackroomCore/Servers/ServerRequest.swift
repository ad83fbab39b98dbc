/// What the admin API's `POST /api/v1/servers` and `PATCH /api/v1/servers/{key}` ask, read
/// from their JSON bodies with every bad field named.
public struct ServerRequest: Sendable, Equatable {
    public var key: ServerKey?
    public var name: String?
    public var type: ServerType?
    /// `.some(nil)`: the URL is taken away.
    public var url: String??
    public var shops: [Int]?

    public init(key: ServerKey? = nil, name: String? = nil, type: ServerType? = nil, url: String?? = nil, shops: [Int]? = nil) {
        self.key = key
        self.name = name
        self.type = type
        self.url = url
        self.shops = shops
    }

    /// A new server: `key` and `type` required; a store needs shops to serve.
    public static func registration(_ body: JSONValue) throws(InvalidInput) -> ServerRegistration {
        var (request, problems) = read(body, allowed: ["key", "name", "type", "url", "shops"])
        if request.key == nil, !problems.contains(where: { $0.field == "key" }) {
            problems.append(InputProblem(field: "key", message: "key is required"))
        }
        if request.type == nil, !problems.contains(where: { $0.field == "type" }) {
            problems.append(InputProblem(field: "type", message: "type is required: store or main"))
        }
        guard problems.isEmpty, let key = request.key, let type = request.type else { throw InvalidInput(problems: problems) }
        return ServerRegistration(
            key: key,
            name: request.name ?? key.value,
            type: type,
            url: request.url ?? nil,
            shops: (request.shops ?? []).sorted()
        )
    }

    /// A change of `name`, `url` or `shops`.
    public static func change(_ body: JSONValue) throws(InvalidInput) -> ServerRequest {
        let (request, problems) = read(body, allowed: ["name", "url", "shops"])
        guard problems.isEmpty else { throw InvalidInput(problems: problems) }
        return request
    }

    /// `server` with what the request changes.
    public func applied(to server: ServerRegistration) -> ServerRegistration {
        ServerRegistration(key: server.key, name: name ?? server.name, type: server.type, url: url ?? server.url, shops: shops ?? server.shops)
    }

    private static func read(_ body: JSONValue, allowed: Set<String>) -> (ServerRequest, [InputProblem]) {
        guard case .object(let members) = body else {
            return (ServerRequest(), [InputProblem(field: "body", message: "the body must be a JSON object")])
        }
        var request = ServerRequest()
        var problems: [InputProblem] = []
        for key in members.keys.sorted() where !allowed.contains(key) {
            problems.append(InputProblem(field: key, message: "\(key) is not a property of a server"))
        }
        switch members["key"] {
        case nil, .null?: break
        case .string(let text)?:
            do {
                request.key = try ServerKey(text)
            } catch {
                problems.append(InputProblem(field: "key", message: error.description))
            }
        default: problems.append(InputProblem(field: "key", message: "key must be a string"))
        }
        switch members["name"] {
        case nil, .null?: break
        case .string(let text)? where !text.isEmpty && text.count <= 255: request.name = text
        default: problems.append(InputProblem(field: "name", message: "name must be 1 to 255 characters"))
        }
        switch members["type"] {
        case nil, .null?: break
        case .string(let text)? where ServerType(rawValue: text) != nil: request.type = ServerType(rawValue: text)
        default: problems.append(InputProblem(field: "type", message: "type must be store or main"))
        }
        switch members["url"] {
        case nil: break
        case .null?: request.url = .some(nil)
        case .string(let text)? where HTTPURL.base(text) != nil: request.url = .some(HTTPURL.base(text))
        default: problems.append(InputProblem(field: "url", message: "url must be an http:// or https:// URL with a host"))
        }
        switch members["shops"] {
        case nil, .null?: break
        case .array(let items)?:
            var shops: [Int] = []
            for (index, item) in items.enumerated() {
                guard case .integer(let shop) = item, shop > 0, shop <= Int64(Int32.max) else {
                    problems.append(InputProblem(field: "shops[\(index)]", message: "a shop is its id, a whole number above 0"))
                    continue
                }
                if !shops.contains(Int(shop)) { shops.append(Int(shop)) }
            }
            request.shops = shops.sorted()
        default: problems.append(InputProblem(field: "shops", message: "shops must be a list of shop ids"))
        }
        return (request, problems)
    }
}
