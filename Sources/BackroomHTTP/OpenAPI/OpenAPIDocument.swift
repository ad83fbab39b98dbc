import BackroomCore

/// The OpenAPI 3.1 document of every route a server of `role` answers, served at
/// `/openapi.json`: the compatible families with the answer schemas their contracts hold, and
/// Backroom's own families.
enum OpenAPIDocument {
    static func json(role: ServerRole) -> JSONValue {
        let operations = OpenAPIOperations.all().filter { $0.roles.contains(role) }
        var paths: [String: JSONValue] = [:]
        for operation in operations {
            var item = paths[operation.path]?.objectMembers ?? [:]
            item[operation.method.lowercased()] = describe(operation)
            paths[operation.path] = .object(item)
        }
        return .object([
            "openapi": .string("3.1.0"),
            "info": .object([
                "title": .string("Backroom (\(role.rawValue))"), "version": .string(PeerSoftware.current.version),
                "description": .string(
                    "Stock reservations and ATP, store server status and the ErpSync agent as the originals define them, and Backroom's own families."
                ),
            ]),
            "tags": .array(APIOperation.Family.allCases.map { .object(["name": .string($0.rawValue)]) }),
            "paths": .object(paths),
            "components": .object(["schemas": .object(schemas), "securitySchemes": securitySchemes]),
        ])
    }

    static func operationId(_ operation: APIOperation) -> String {
        operationId(method: operation.method, path: operation.path)
    }

    static func operationId(method: String, path: String) -> String {
        let words = path.split { !$0.isLetter && !$0.isNumber }.map { $0.prefix(1).uppercased() + $0.dropFirst() }
        return method.lowercased() + words.suffix(6).joined()
    }

    private static func describe(_ operation: APIOperation) -> JSONValue {
        var parameters: [JSONValue] = operation.pathParameters.map { name in
            .object(["name": .string(name), "in": .string("path"), "required": .bool(true), "schema": .type("string")])
        }
        parameters += operation.query.map {
            .object(["name": .string($0.name), "in": .string("query"), "required": .bool(false), "schema": $0.schema])
        }
        parameters += operation.headers.map {
            .object(["name": .string($0.name), "in": .string("header"), "required": .bool(false), "schema": $0.schema])
        }
        var responses: [String: JSONValue] = [:]
        for answer in operation.answers {
            var response: [String: JSONValue] = ["description": .string(answer.description)]
            if !answer.content.isEmpty {
                response["content"] = .object(
                    Dictionary(uniqueKeysWithValues: answer.content.map { ($0.mediaType, JSONValue.object(["schema": $0.schema])) })
                )
            }
            if answer.status.hasPrefix("2"), !operation.links.isEmpty {
                response["links"] = .object(
                    Dictionary(
                        uniqueKeysWithValues: operation.links.map { link in
                            (
                                link.name,
                                JSONValue.object([
                                    "operationId": .string(operationId(method: link.method, path: link.path)),
                                    "parameters": .object(link.parameters.mapValues { .string($0) }),
                                ])
                            )
                        }
                    )
                )
            }
            responses[answer.status] = .object(response)
        }
        for (status, description) in errors(of: operation) where responses[status] == nil {
            let contents = errorContents(of: operation.family).map { ($0.mediaType, JSONValue.object(["schema": $0.schema])) }
            responses[status] = .object(["description": .string(description), "content": .object(Dictionary(uniqueKeysWithValues: contents))])
        }
        var described: [String: JSONValue] = [
            "operationId": .string(operationId(operation)), "summary": .string(operation.summary),
            "tags": .array([.string(operation.family.rawValue)]),
            "responses": .object(responses), "security": security(operation),
        ]
        if !parameters.isEmpty { described["parameters"] = .array(parameters) }
        if !operation.request.isEmpty {
            described["requestBody"] = .object([
                "required": .bool(operation.bodyRequired),
                "content": .object(
                    Dictionary(uniqueKeysWithValues: operation.request.map { ($0.mediaType, JSONValue.object(["schema": $0.schema])) })
                ),
            ])
        }
        return .object(described)
    }

    private static func errors(of operation: APIOperation) -> [(String, String)] {
        var errors = [("400", "Bad input, named"), ("413", "The body is larger than the server accepts")] + operation.refusals
        if !operation.request.isEmpty { errors.append(("415", "The body is not of a type the operation takes")) }
        if operation.family == .sessions { errors.append(("401", "Wrong user name or password")) }
        // The console sends a browser without a session to /signin (303) rather than refuse it.
        if operation.access != .none, operation.family != .console { errors.append(("401", "No or wrong credentials")) }
        if operation.access != .none { errors.append(("403", "The right or the shop is missing")) }
        // Credentials sent to any route behind an authenticator are checked, and throttled.
        if operation.access != .none || operation.path.hasPrefix("/api/v1/") {
            errors.append(("429", "Too many failed sign-ins from this address; see Retry-After"))
        }
        if !operation.pathParameters.isEmpty { errors.append(("404", "Not found")) }
        if operation.family == .agent { errors += [("406", "Not acceptable"), ("415", "Unsupported media type")] }
        // A store forwards the service to central; every family that reads the database answers
        // 503 (with Retry-After) while it cannot be reached, as during a failover.
        if operation.family == .reservations {
            errors.append(("503", "On a store: central cannot be reached (21008); on central: the database cannot be reached for now"))
        } else if operation.family != .operations && operation.family != .console {
            errors.append(("503", "The database cannot be reached for now; try again after Retry-After"))
        }
        return errors
    }

    private static func errorContents(of family: APIOperation.Family) -> [APIOperation.Content] {
        switch family {
        case .reservations: [.json(.ref("failure"))]
        case .agent: [.json(.ref("Error"))]
        case .sync: [.json(.ref("SyncError"))]
        case .status: [.json(.ref("StatusAnswer"))]
        // A page's own refusal (a right missing, a sign-in refused) is a page; what the console
        // shares with the admin API (a form without its XSRF proof, a body too large) is its envelope.
        case .console: [.html, .json(.ref("Envelope"))]
        default: [.json(.ref("Envelope"))]
        }
    }

    private static func security(_ operation: APIOperation) -> JSONValue {
        let schemes: [[String]] =
            switch operation.access {
            case .none: []
            case .storeToken: [["storeToken"]]
            // A console route takes no session too: then it sends the browser to /signin (303).
            case .session: [["session"], []]
            case .user:
                operation.family == .agent
                    ? [["basic"], ["bearer"], ["soTicket"], ["session", "xsrf"]] : [["basic"], ["bearer"], ["session", "xsrf"]]
            }
        return .array(schemes.map { names in .object(Dictionary(uniqueKeysWithValues: names.map { ($0, JSONValue.array([])) })) })
    }

    private static let securitySchemes = JSONValue.object([
        "basic": .object(["type": .string("http"), "scheme": .string("basic")]),
        "bearer": .object(["type": .string("http"), "scheme": .string("bearer"), "description": .string("An API token")]),
        "soTicket": .object([
            "type": .string("apiKey"), "in": .string("header"), "name": .string("Authorization"),
            "description": .string("`SoTicket TOKEN`, the CRM's scheme, with an API token"),
        ]),
        "session": .object(["type": .string("apiKey"), "in": .string("cookie"), "name": .string("backroom_session")]),
        "xsrf": .object([
            "type": .string("apiKey"), "in": .string("header"), "name": .string("X-XSRF-TOKEN"),
            "description": .string("The XSRF-TOKEN cookie's value, with a session, on a change"),
        ]),
        "storeToken": .object(["type": .string("http"), "scheme": .string("bearer"), "description": .string("A store's sync token")]),
    ])

    /// The contracts' schemas and Backroom's own, under `#/components/schemas`.
    private static let schemas: [String: JSONValue] = {
        var schemas: [String: JSONValue] = [:]
        for text in [OpenAPIContractSchemas.reservations, OpenAPIContractSchemas.erpSync] {
            let rewritten = text.replacingOccurrences(of: "#/$defs/", with: "#/components/schemas/")
            if case .object(let definitions)? = try? JSONReader.read(Array(rewritten.utf8)) { schemas.merge(definitions) { first, _ in first } }
        }
        let string = JSONValue.type("string")
        let status = JSONValue.object(["type": .string("string"), "enum": .array(ServerStatus.allCases.map { .string($0.rawValue) })])
        schemas["Envelope"] = .object([
            "type": .string("object"), "required": .array([.string("statusCode")]),
            "properties": .object([
                "data": .anyValue, "statusCode": .type("integer"), "errors": .type("array"), "exceptions": .type("array"), "next": .anyValue,
            ]),
        ])
        schemas["StatusRequest"] = .object(["type": .string("object"), "properties": .object(["serverKey": string])])
        schemas["PingRequest"] = .object(["type": .string("object"), "properties": .object(["mobileServerKey": string, "serverStatus": status])])
        schemas["StatusAnswer"] = .object([
            "type": .string("object"),
            "properties": .object([
                "response": .object(["type": .string("object"), "properties": .object(["serverStatus": status, "error": string])])
            ]),
        ])
        schemas["Login"] = .object([
            "type": .string("object"), "required": .array([.string("user"), .string("password")]),
            "properties": .object(["user": string, "password": string]),
        ])
        schemas["SyncError"] = .object(["type": .string("object"), "properties": .object(["error": string])])
        schemas.merge(OpenAPIReservationSchemas.all) { _, own in own }
        return schemas
    }()
}

extension JSONValue {
    /// An object's members; nil for anything else.
    var objectMembers: [String: JSONValue]? {
        if case .object(let members) = self { members } else { nil }
    }
}
