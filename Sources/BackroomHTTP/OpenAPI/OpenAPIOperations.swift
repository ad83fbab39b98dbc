import BackroomCore

/// Every operation Backroom answers, by family, as the OpenAPI document lists them. A test
/// checks this list against the router's routes on both roles, both ways.
enum OpenAPIOperations {
    static let envelope = JSONValue.ref("Envelope")
    static let reservation = "/servlets/services/reservation/{id}"
    static let statusService = "/org.openbravo.mobile.core.service.jsonrest/org.openbravo.mobile.core.servercontroller.RetrieveMobileServerStatus"
    static let pingService = "/org.openbravo.mobile.core.service.jsonrest/org.openbravo.mobile.core.servercontroller.MobileServerStatusInformation"

    static func all() -> [APIOperation] {
        reservations + status + agent + admin + stock + sessions + sync + operations + console
    }

    private static func ok(
        _ content: APIOperation.Content...,
        status: String = "200",
        _ description: String = "Done"
    ) -> [(status: String, description: String, content: [APIOperation.Content])] {
        [(status, description, content)]
    }

    /// What a client does with a reservation it holds, `id` taken by `expression`.
    private static func onwards(_ expression: String) -> [APIOperation.Link] {
        [
            .init(name: "ReadReservation", method: "GET", path: reservation, parameters: ["id": expression]),
            .init(name: "ChangeReservation", method: "PUT", path: reservation, parameters: ["id": expression]),
            .init(name: "CommitReservation", method: "POST", path: reservation + "/commit", parameters: ["id": expression]),
            .init(name: "CancelReservation", method: "DELETE", path: reservation, parameters: ["id": expression]),
        ]
    }

    static let reservations: [APIOperation] = [
        APIOperation(
            method: "POST",
            path: reservation,
            family: .reservations,
            summary: "Create a reservation in shop {id} (the shop's id here)",
            request: [.json(.ref("reservationRequest"))],
            headers: [("Idempotency-Key", .object(["type": .string("string"), "maxLength": .integer(255)]))],
            answers: ok(.json(.ref("reservation")), status: "201", "Created; Location names it"),
            refusals: [("409", "The Idempotency-Key was used before with a different request (21007)")],
            links: onwards("$response.body#/data/resvId")
        ),
        APIOperation(
            method: "GET",
            path: reservation,
            family: .reservations,
            summary: "Read reservation {id} (resvId)",
            answers: ok(.json(.ref("reservation")))
        ),
        APIOperation(
            method: "PUT",
            path: reservation,
            family: .reservations,
            summary: "Change reservation {id}: its lines and time",
            request: [.json(.ref("reservationChange"))],
            answers: ok(.json(.ref("reservation")), status: "201", "Changed"),
            links: onwards("$request.path.id").filter { $0.method != "PUT" }
        ),
        APIOperation(
            method: "DELETE",
            path: reservation,
            family: .reservations,
            summary: "Cancel reservation {id}",
            answers: ok(status: "204", "Cancelled")
        ),
        APIOperation(
            method: "POST",
            path: reservation + "/commit",
            family: .reservations,
            summary: "Commit reservation {id}: its lines become sales",
            answers: ok(status: "204", "Committed")
        ),
        APIOperation(
            method: "GET",
            path: "/servlets/services/atp/{shop}/{ids}",
            family: .reservations,
            summary: "Available to promise of products {ids} (comma-separated) in shop {shop}",
            query: [("resvId", .type("integer"))],
            answers: ok(.json(.ref("availability")))
        ),
    ]

    static let status: [APIOperation] = [
        APIOperation(
            method: "POST",
            path: statusService,
            family: .status,
            summary: "A server's status (ON, OFF, TON, TOFF), from the registry or asked",
            access: .none,
            request: [.json(.ref("StatusRequest"))],
            answers: ok(.json(.ref("StatusAnswer")))
        ),
        APIOperation(
            method: "POST",
            path: "/api/v1/servers/status",
            family: .status,
            summary: "The status service, under Backroom's own path",
            access: .none,
            request: [.json(.ref("StatusRequest"))],
            answers: ok(.json(.ref("StatusAnswer")))
        ),
        APIOperation(
            method: "POST",
            path: pingService,
            family: .status,
            summary: "Ping: records the caller's status, answers this server's",
            access: .none,
            request: [.json(.ref("PingRequest"))],
            answers: ok(.json(.ref("StatusAnswer")))
        ),
    ]

    static var agent: [APIOperation] {
        AgentMethod.allCases.flatMap { method in
            let path = "/api/v1/Agents/ErpSync/\(method.rawValue)"
            let answer: [APIOperation.Content] = method.answerType.hasPrefix("None") ? [] : [.json(agentAnswer(method))]
            return [
                APIOperation(
                    method: "POST",
                    path: path,
                    family: .agent,
                    summary: method.summary,
                    request: [
                        .json(agentBody(method)), .init(mediaType: "application/xml", schema: .anyValue),
                        .init(mediaType: "application/x-www-form-urlencoded", schema: .anyValue),
                    ],
                    bodyRequired: false,
                    answers: answer.first.map { ok($0) } ?? nothingToSay
                ),
                APIOperation(
                    method: "GET",
                    path: path,
                    family: .agent,
                    summary: "What \(method.rawValue) takes and answers",
                    answers: ok(.json(.ref("MethodDescription")))
                ),
            ]
        }
    }

    private static let nothingToSay = ok(status: "204", "Done, nothing to say")

    private static func agentBody(_ method: AgentMethod) -> JSONValue {
        var properties: [String: JSONValue] = [:]
        // As the original reads them: a value may come as text (as XML and forms send it) or null.
        func lenient(_ types: String...) -> JSONValue { .object(["type": .array((types + ["string", "null"]).map(JSONValue.string))]) }
        for parameter in method.parameters where !parameter.name.hasSuffix("(query)") {
            properties[parameter.name] =
                switch parameter.type {
                case "System.Boolean": lenient("boolean")
                case "System.Int32": lenient("integer")
                case "System.Int32[]": .object(["type": .array(["array", "string", "null"].map(JSONValue.string)), "items": .type("integer")])
                // Whole numbers and booleans are taken as their text, as Json.NET does for the original.
                case "System.String": lenient("integer", "boolean")
                case "System.TimeSpan": lenient()
                // Only what a change reads, as leniently as it is read: the answer's ErpConnection
                // requires every property, a change names only those it changes.
                case "ErpConnection":
                    .object([
                        "type": .array([.string("object"), .string("null")]),
                        "properties": .object([
                            "ErpConnectionId": lenient("integer"), "ErpConnectorId": lenient("integer"), "DisplayName": lenient("integer", "boolean"),
                            "Active": lenient("boolean"), "ConfigFields": configFields,
                        ]),
                    ])
                default: configFields
                }
        }
        return .object(["type": .string("object"), "properties": .object(properties)])
    }

    /// Settings by name: an object (XML children, or .NET's key-value pairs in a list), or "" for none;
    /// a value may be any JSON but a decimal.
    private static let configFields = JSONValue.object([
        "type": .array(["object", "array", "string", "null"].map(JSONValue.string)),
        "additionalProperties": .object(["type": .array(["string", "integer", "boolean", "null", "object", "array"].map(JSONValue.string))]),
    ])

    private static func agentAnswer(_ method: AgentMethod) -> JSONValue {
        switch method.answerType {
        case "ErpSyncEngineStatus": .ref(method.answerType)
        // null for an unknown connection: not found is no error in this family.
        case "PluginResponse": .object(["oneOf": .array([.ref("PluginResponse"), .type("null")])])
        case "ErpConnection[]": .ref("ArrayOfErpConnection")
        case "ErpConnection": .ref("ErpConnectionOrNull")
        case "System.String[]": .ref("ArrayOfstring")
        case "System.Boolean": .ref("boolean")
        case "ListItem[]": .ref("ArrayOfListItem")
        case "ErpSyncResponseCode": .object(["type": .string("string"), "enum": .array(ErpSyncResponseCode.allCases.map { .string($0.rawValue) })])
        default: .anyValue
        }
    }

    private static func admin(
        _ method: String,
        _ path: String,
        _ summary: String,
        body: Bool = false,
        bodySchema: JSONValue = .type("object"),
        status: String = "200",
        roles: Set<ServerRole> = [.central, .store],
        query: [(name: String, schema: JSONValue)] = [],
        conflict: String? = nil
    ) -> APIOperation {
        APIOperation(
            method: method,
            path: path,
            family: .admin,
            summary: summary,
            roles: roles,
            request: body ? [.json(bodySchema)] : [],
            bodyRequired: method != "PATCH" && !path.hasSuffix("/tokens") && !path.hasSuffix("/token") && !path.hasSuffix("/resync"),
            query: query,
            answers: status == "204" ? nothingToSay : ok(.json(envelope), status: status),
            refusals: conflict.map { [("409", $0)] } ?? []
        )
    }

    static let paging: [(name: String, schema: JSONValue)] = [
        ("limit", .object(["type": .string("integer"), "minimum": .integer(1), "maximum": .integer(500)])), ("after", .type("string")),
    ]

    static let admin: [APIOperation] = [
        admin("GET", "/api/v1/users", "Users, by name", query: paging),
        admin("POST", "/api/v1/users", "Add a user", body: true, status: "201", conflict: "The name is taken"),
        admin("GET", "/api/v1/users/{name}", "A user"),
        admin("PATCH", "/api/v1/users/{name}", "Change a user's password, rights, shops or whether it is disabled", body: true),
        admin("DELETE", "/api/v1/users/{name}", "Delete a user with its tokens and sessions", status: "204"),
        admin("GET", "/api/v1/tokens", "API tokens by fingerprint", query: paging),
        admin("POST", "/api/v1/tokens", "Make an API token, shown once", body: true, status: "201"),
        admin("DELETE", "/api/v1/tokens/{id}", "Revoke an API token", status: "204"),
        admin("GET", "/api/v1/servers", "The registry of servers"),
        admin(
            "POST",
            "/api/v1/servers",
            "Register a server; a store's sync token is shown once",
            body: true,
            status: "201",
            conflict: "The key is taken"
        ),
        admin("GET", "/api/v1/servers/{key}", "One server of the registry"),
        admin("PATCH", "/api/v1/servers/{key}", "Change a server's name, URL or shops", body: true),
        admin("DELETE", "/api/v1/servers/{key}", "Remove a server from the registry", status: "204"),
        admin("POST", "/api/v1/servers/{key}/probe", "Ask a server its status now"),
        admin("POST", "/api/v1/servers/{key}/token", "Rotate a store's sync token (`force` retires the old one at once)", body: true),
        admin("GET", "/api/v1/preferences", "Every preference with unit, range, default and value"),
        admin("PUT", "/api/v1/preferences/{name}", "Set a preference", body: true),
        admin(
            "GET",
            "/api/v1/shops/{shop}/reservations",
            "A shop's reservations by state, newest first",
            roles: [.central],
            query: paging + [
                (
                    "state",
                    .object(["type": .string("string"), "enum": .array(["active", "expired", "committed", "cancelled"].map(JSONValue.string))])
                )
            ]
        ),
        admin("GET", "/api/v1/reservations/{id}", "A reservation in full, whatever its state", roles: [.central]),
        admin("DELETE", "/api/v1/reservations/{id}", "Cancel a reservation", status: "204", roles: [.central]),
        admin("GET", "/api/v1/engine", "The sync engine: running, interval, what it does"),
        admin("PATCH", "/api/v1/engine", "Start or stop the engine, or set its interval", body: true),
        admin("POST", "/api/v1/engine/rounds", "Run a round now"),
        admin("GET", "/api/v1/connections", "The engine's connections in visit order"),
        admin("POST", "/api/v1/connections", "Make a connection", body: true, status: "201"),
        admin(
            "PUT",
            "/api/v1/connections/priorities",
            "The order rounds visit connections in",
            body: true,
            bodySchema: .object(["type": .string("array"), "items": .type("integer")])
        ),
        admin("GET", "/api/v1/connections/{id}", "A connection"),
        admin("PATCH", "/api/v1/connections/{id}", "Change a connection", body: true),
        admin("DELETE", "/api/v1/connections/{id}", "Delete a connection", status: "204"),
        admin("POST", "/api/v1/connections/{id}/test", "Whether a connection can be reached now"),
        admin("POST", "/api/v1/connections/{id}/resync", "Make a connection start over", body: true, conflict: "The connection is deleted"),
        admin("GET", "/api/v1/erp/{connection}/files", "An ERP folder: files in in/, done/, failed/ with their reasons, and the export position"),
        admin("GET", "/api/v1/audit", "The audit log, newest first", query: paging),
    ]

    static let stock: [APIOperation] = [
        APIOperation(
            method: "GET",
            path: "/api/v1/shops/{shop}/stock",
            family: .stock,
            summary: "Stock of products in a shop",
            query: [("ids", .type("string"))],
            answers: ok(.json(envelope))
        ),
        APIOperation(
            method: "PUT",
            path: "/api/v1/shops/{shop}/stock",
            family: .stock,
            summary: "Set on hand and blocked (a count movement of the difference)",
            request: [.json(.type("array"))],
            answers: ok(.json(envelope))
        ),
        APIOperation(
            method: "GET",
            path: "/api/v1/shops/{shop}/movements",
            family: .stock,
            summary: "A shop's movements, newest first",
            query: paging + [("product", .type("string"))],
            answers: ok(.json(envelope))
        ),
        APIOperation(
            method: "POST",
            path: "/api/v1/shops/{shop}/movements",
            family: .stock,
            summary: "Record sales, returns, receipts, counts, adjustments",
            request: [.json(.type("object"))],
            answers: ok(.json(envelope), status: "201", "Recorded")
        ),
    ]

    static let sessions: [APIOperation] = [
        APIOperation(
            method: "POST",
            path: "/api/v1/login",
            family: .sessions,
            summary: "Open a browser session (cookies backroom_session and XSRF-TOKEN)",
            access: .none,
            request: [.json(.ref("Login"))],
            answers: ok(.json(envelope))
        ),
        APIOperation(
            method: "POST",
            path: "/api/v1/logout",
            family: .sessions,
            summary: "Close the session, if there is one",
            access: .none,
            answers: ok(status: "204", "Closed")
        ),
        APIOperation(method: "GET", path: "/api/v1/me", family: .sessions, summary: "Who is signed in", answers: ok(.json(envelope))),
    ]

    private static let historyDeleted = "A store before sync protocol 3, once retention has deleted movements it would sum"

    static let sync: [APIOperation] = [
        APIOperation(
            method: "GET",
            path: "/sync/v1/bootstrap",
            family: .sync,
            summary: "A store's first load: shops, stock lines as they stand with the heads they are at, users, preferences",
            access: .storeToken,
            answers: ok(.json(.type("object"))),
            refusals: [("409", Self.historyDeleted)]
        ),
        APIOperation(
            method: "GET",
            path: "/sync/v1/pull",
            family: .sync,
            summary: "Movements for the store's shops after a cursor",
            access: .storeToken,
            query: [("after", .type("string")), ("limit", .type("integer"))],
            answers: ok(.json(.type("object"))),
            refusals: [("409", Self.historyDeleted)]
        ),
        APIOperation(
            method: "GET",
            path: "/sync/v1/own",
            family: .sync,
            summary: "The store's own movements central holds after a sequence, and the highest",
            access: .storeToken,
            query: [("after", .type("integer")), ("limit", .type("integer"))],
            answers: ok(.json(.type("object")))
        ),
        APIOperation(
            method: "POST",
            path: "/sync/v1/push",
            family: .sync,
            summary: "The store's own movements, each applied once",
            access: .storeToken,
            request: [.json(.type("object"))],
            answers: ok(.json(.type("object")))
        ),
    ]

    static let operations: [APIOperation] = [
        APIOperation(
            method: "GET",
            path: "/livez",
            family: .operations,
            summary: "Whether the process answers, whatever else is wrong",
            access: .none,
            answers: ok(.json(.type("object")))
        ),
        APIOperation(
            method: "GET",
            path: "/readyz",
            family: .operations,
            summary: "Whether the server can work: database reachable, migrations applied, a store loaded from central; 503 with the reason",
            access: .none,
            answers: ok(.json(.type("object"))) + ok(.json(.type("object")), status: "503", "Not ready, with the reason")
        ),
        APIOperation(
            method: "GET",
            path: "/health",
            family: .operations,
            summary: "Role, server key, database; 503 when the database does not answer",
            access: .none,
            answers: ok(.json(.type("object")))
        ),
        APIOperation(method: "GET", path: "/metrics", family: .operations, summary: "Prometheus metrics", access: .none, answers: ok(.text)),
        APIOperation(
            method: "GET",
            path: "/openapi.json",
            family: .operations,
            summary: "This document",
            access: .none,
            answers: ok(.json(.type("object")))
        ),
    ]

    /// A console route behind the session: without one, it sends the browser to `/signin`.
    private static func page(_ method: String, _ path: String, _ summary: String, answer: APIOperation.Content = .html) -> APIOperation {
        // A form's body is read only with a session: without one the answer is the 303.
        APIOperation(
            method: method,
            path: path,
            family: .console,
            summary: summary,
            access: .session,
            request: method == "POST" ? [.form] : [],
            bodyRequired: false,
            answers: method == "POST"
                ? [("303", "Back to the page, with a notice; to /signin without a session", [])]
                : ok(answer) + [("303", "To /signin without a session", [])]
        )
    }

    static let console: [APIOperation] = [
        page("GET", "/", "Overview"), page("GET", "/stores", "Stores"), page("GET", "/stores/{key}", "A store"),
        page("POST", "/stores/{key}/probe", "Probe a store now"), page("GET", "/engine", "Sync engine"),
        page("POST", "/engine/run", "Start or stop the engine"),
        page("POST", "/engine/round", "Sync now"), page("POST", "/engine/interval", "Set the interval"),
        page("POST", "/engine/connections/{id}/{action}", "Toggle, test, resync or move a connection"), page("GET", "/erp", "ERP folders"),
        page("GET", "/stock", "Stock of a product"), page("POST", "/stock", "Set on hand"), page("GET", "/reservations", "Reservations of a shop"),
        page("POST", "/reservations/{id}/cancel", "Cancel a reservation"), page("GET", "/users", "Users and tokens"),
        page("POST", "/users", "Add a user"),
        page("POST", "/users/{name}/{action}", "Disable, enable or make a token for a user"), page("POST", "/tokens/{id}/revoke", "Revoke a token"),
        page("GET", "/preferences", "Preferences"), page("POST", "/preferences/{name}", "Set a preference"), page("GET", "/audit", "Audit log"),
        page("GET", "/api", "This document, as a page"),
        APIOperation(method: "GET", path: "/signin", family: .console, summary: "Sign-in page", access: .none, answers: ok(.html)),
        APIOperation(
            method: "POST",
            path: "/signin",
            family: .console,
            summary: "Sign in",
            access: .none,
            request: [.form],
            answers: [("303", "Signed in", [])],
            refusals: [
                ("401", "Wrong user name or password: the page again"), ("429", "Too many failed sign-ins from this address; see Retry-After"),
            ]
        ),
        page("POST", "/signout", "Sign out"),
        page(
            "GET",
            "/console/events/stores",
            "The Stores page's rows as Server-Sent Events",
            answer: APIOperation.Content(mediaType: "text/event-stream", schema: .type("string"))
        ),
        APIOperation(
            method: "GET",
            path: "/console.css",
            family: .console,
            summary: "The console's style sheet",
            access: .none,
            answers: ok(APIOperation.Content(mediaType: "text/css", schema: .type("string")))
        ),
        APIOperation(
            method: "GET",
            path: "/console.js",
            family: .console,
            summary: "The console's script",
            access: .none,
            answers: ok(APIOperation.Content(mediaType: "text/javascript", schema: .type("string")))
        ),
    ]
}
