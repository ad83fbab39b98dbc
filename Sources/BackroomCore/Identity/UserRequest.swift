/// What the admin API's `POST /api/v1/users` and `PATCH /api/v1/users/{name}` ask, read from
/// their JSON bodies with every bad field named.
public struct UserRequest: Sendable, Equatable {
    public static let maximumPasswordLength = 200

    public var name: String?
    public var password: String?
    /// For a user changing their own password: the one it replaces.
    public var oldPassword: String?
    public var rights: Set<Right>?
    public var shops: Set<Int>?
    public var disabled: Bool?

    public init(
        name: String? = nil,
        password: String? = nil,
        oldPassword: String? = nil,
        rights: Set<Right>? = nil,
        shops: Set<Int>? = nil,
        disabled: Bool? = nil
    ) {
        self.name = name
        self.password = password
        self.oldPassword = oldPassword
        self.rights = rights
        self.shops = shops
        self.disabled = disabled
    }

    /// A new user: `name` and `password` required, `rights` and `shops` lists.
    public static func creation(_ body: JSONValue) throws(InvalidInput) -> UserRequest {
        var (request, problems) = read(body, allowed: ["name", "password", "rights", "shops"])
        for (field, given) in [("name", request.name), ("password", request.password)]
        where given == nil && !problems.contains(where: { $0.field == field }) {
            problems.append(InputProblem(field: field, message: "\(field) is required"))
        }
        guard problems.isEmpty else { throw InvalidInput(problems: problems) }
        return request
    }

    /// A change: any of `password` (with `oldPassword` for one's own), `rights`, `shops`, `disabled`.
    public static func change(_ body: JSONValue) throws(InvalidInput) -> UserRequest {
        let (request, problems) = read(body, allowed: ["password", "oldPassword", "rights", "shops", "disabled"])
        guard problems.isEmpty else { throw InvalidInput(problems: problems) }
        return request
    }

    /// What the body asks, and everything wrong with it.
    private static func read(_ body: JSONValue, allowed: Set<String>) -> (UserRequest, [InputProblem]) {
        guard case .object(let members) = body else {
            return (UserRequest(), [InputProblem(field: "body", message: "the body must be a JSON object")])
        }
        var request = UserRequest()
        var problems: [InputProblem] = []
        for key in members.keys.sorted() where !allowed.contains(key) {
            problems.append(InputProblem(field: key, message: "\(key) is not a property of a user"))
        }
        func text(_ field: String) -> String? {
            switch members[field] {
            case nil, .null?: return nil
            case .string(let value)?: return value
            default:
                problems.append(InputProblem(field: field, message: "\(field) must be a string"))
                return nil
            }
        }
        if let name = text("name") {
            do {
                request.name = try UserName.validate(name)
            } catch {
                problems.append(InputProblem(field: "name", message: error.description))
            }
        }
        for field in ["password", "oldPassword"] {
            guard let password = text(field) else { continue }
            guard !password.isEmpty, password.count <= maximumPasswordLength else {
                problems.append(InputProblem(field: field, message: "\(field) must be 1 to \(maximumPasswordLength) characters"))
                continue
            }
            if field == "password" { request.password = password } else { request.oldPassword = password }
        }
        switch members["rights"] {
        case nil, .null?: break
        case .array(let items)?:
            var rights = Set<Right>()
            for (index, item) in items.enumerated() {
                guard case .string(let name) = item, let right = Right(named: name) else {
                    problems.append(
                        InputProblem(
                            field: "rights[\(index)]",
                            message: "a right is one of \(Right.allCases.map(\.rawValue).joined(separator: ", "))"
                        )
                    )
                    continue
                }
                rights.insert(right)
            }
            request.rights = rights
        default: problems.append(InputProblem(field: "rights", message: "rights must be a list of rights"))
        }
        switch members["shops"] {
        case nil, .null?: break
        case .array(let items)?:
            var shops = Set<Int>()
            for (index, item) in items.enumerated() {
                guard case .integer(let shop) = item, shop > 0, shop <= Int64(Int32.max) else {
                    problems.append(InputProblem(field: "shops[\(index)]", message: "a shop is its id, a whole number above 0"))
                    continue
                }
                shops.insert(Int(shop))
            }
            request.shops = shops
        default: problems.append(InputProblem(field: "shops", message: "shops must be a list of shop ids"))
        }
        switch members["disabled"] {
        case nil, .null?: break
        case .bool(let flag)?: request.disabled = flag
        default: problems.append(InputProblem(field: "disabled", message: "disabled must be true or false"))
        }
        return (request, problems)
    }
}
