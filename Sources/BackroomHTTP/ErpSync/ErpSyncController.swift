import BackroomCore
import BackroomSync
import Hummingbird

/// `POST /api/v1/Agents/ErpSync/{Method}`: the sync engine's status and controls, as the CRM's
/// `Agents/ErpSync` agent answers them (sync-engine.md). Right `erpsync` or `admin`.
struct ErpSyncController {
    let engine: SyncEngine

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post(":method", use: call)
    }

    private typealias Method = @Sendable (ErpSyncController, Call) async throws -> Response

    /// Method names as clients send them; matched without regard to case.
    private static let methods: [String: Method] = [
        "getenginestatus": { controller, call in try await controller.engineStatus(call) },
        "changeenginestatus": { controller, call in try await controller.changeEngineStatus(call) },
        "changeengineinterval": { controller, call in try await controller.changeEngineInterval(call) },
        "syncall": { controller, call in try await controller.syncAll(call, force: false) },
        "forcesyncall": { controller, call in try await controller.syncAll(call, force: true) },
        "getallconnections": { controller, call in try await controller.allConnections(call) },
        "getconnection": { controller, call in try await controller.connection(call) },
        "toggleerpconnectionactive": { controller, call in try await controller.toggleActive(call) },
        "testconnectionbyid": { controller, call in try await controller.testConnection(call) },
        "getallconnectors": { controller, call in try await controller.allConnectors(call) },
    ]

    /// One call: who asks, how it wants the answer, and its parameters.
    private struct Call {
        let principal: Principal
        let conventions: ErpSyncConventions
        let body: JSONValue

        var answers: ErpSyncAnswers { conventions.answers(for: principal) }

        /// A parameter by its PascalCase name; clients that send camelCase are understood too.
        func parameter(_ name: String) -> JSONValue? {
            guard case .object(let members) = body else { return nil }
            return members[name] ?? members.first { $0.key.lowercased() == name.lowercased() }?.value
        }

        func respond(_ value: ErpValue) throws -> Response { try conventions.response(value) }
    }

    @Sendable func call(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let principal = context.identity else { throw ErpSyncError(.unauthorized, type: "SoCredentialsException", .authenticationRequired) }
        let name = context.parameters.get("method") ?? ""
        guard let method = Self.methods[name.lowercased()] else { throw ErpSyncError(.notFound, type: "NotFound", .unknownMethod(name)) }
        guard principal.holdsAny(of: [.erpsync, .admin]) else {
            throw ErpSyncError(.forbidden, type: "SoSecurityException", .lacksRight(user: principal.name))
        }
        let conventions = try ErpSyncConventions(request)
        return try await method(self, Call(principal: principal, conventions: conventions, body: try await Self.body(of: request, context: context)))
    }

    /// The parameters: a JSON object, or nothing at all for the methods that take none.
    private static func body(of request: Request, context: AppRequestContext) async throws -> JSONValue {
        let bytes = try await request.body.collect(upTo: context.maxUploadSize)
        guard bytes.readableBytes > 0, !bytes.readableBytesView.allSatisfy({ [0x20, 0x09, 0x0A, 0x0D].contains($0) }) else { return .object([:]) }
        guard JSONRequestBody.isAccepted(request.headers[.contentType]) || request.headers[.contentType] == nil else {
            throw ErpSyncError(.unsupportedMediaType, type: "UnsupportedMediaType", .unsupportedMediaType)
        }
        guard case .object(let members)? = try? JSONReader.read(bytes.readableBytesView) else {
            throw ErpSyncError(.badRequest, type: "ArgumentException", .malformedBody)
        }
        return .object(members)
    }

    // MARK: methods

    private func engineStatus(_ call: Call) async throws -> Response {
        try call.respond(try await currentStatus(call))
    }

    private func changeEngineStatus(_ call: Call) async throws -> Response {
        switch call.parameter("Run") {
        case .bool(let run)?: try await engine.setRunning(run)
        default: throw ErpSyncError(.badRequest, type: "ArgumentException", .mustBeBoolean(property: "Run"))
        }
        return try call.respond(try await currentStatus(call))
    }

    private func changeEngineInterval(_ call: Call) async throws -> Response {
        guard case .string(let text)? = call.parameter("Interval"), let interval = SyncInterval(text: text) else {
            let given: String = switch call.parameter("Interval") {
            case .string(let text)?: text
            case nil: "nothing"
            case let value?: JSONWriter.string(of: value)
            }
            throw ErpSyncError(.badRequest, type: "ArgumentException", .invalidInterval(given))
        }
        try await engine.setInterval(interval)
        return Response(status: .noContent, headers: [.contentLanguage: call.conventions.language.rawValue])
    }

    private func syncAll(_ call: Call, force: Bool) async throws -> Response {
        let answers = call.answers
        let running = try await engine.isRunning()
        guard force || running else {
            return try call.respond(answers.pluginResponse(status: .okWithInfo, explanation: .roundNotRun, technical: "engine stopped"))
        }
        guard let round = try await engine.roundNow() else {
            return try call.respond(answers.pluginResponse(status: .okWithInfo, explanation: .roundRequested, technical: "round requested"))
        }
        let technical = "connections=\(round.connections) changes=\(round.changes) errors=\(round.errors)"
        return try call.respond(answers.pluginResponse(
            status: round.errors == 0 ? .ok : .warn,
            explanation: .roundDone(connections: round.connections, changes: round.changes, errors: round.errors),
            technical: technical, errorCode: round.errors == 0 ? "" : "ConnectionErrors"
        ))
    }

    private func allConnections(_ call: Call) async throws -> Response {
        let includeDeleted: Bool = switch call.parameter("IncludeDeleted") {
        case nil, .null?: false
        case .bool(let flag)?: flag
        default: throw ErpSyncError(.badRequest, type: "ArgumentException", .mustBeBoolean(property: "IncludeDeleted"))
        }
        return try call.respond(call.answers.connections(try await engine.connections(includeDeleted: includeDeleted)))
    }

    private func connection(_ call: Call) async throws -> Response {
        try call.respond(call.answers.connection(try await connection(named: call)))
    }

    private func toggleActive(_ call: Call) async throws -> Response {
        let connection = try await connection(named: call)
        guard let changed = try await engine.setActive(!connection.active, connection: connection.id) else {
            throw ErpSyncError(.notFound, type: "NotFound", .unknownConnection(connection.id))
        }
        return try call.respond(call.answers.strings([changed.active ? .activated(name: changed.name) : .deactivated(name: changed.name)]))
    }

    private func testConnection(_ call: Call) async throws -> Response {
        try call.respond(.bool(await engine.test(try await connection(named: call))))
    }

    private func allConnectors(_ call: Call) async throws -> Response {
        try call.respond(call.answers.connectors(engine.connectorKinds))
    }

    // MARK: helpers

    private func currentStatus(_ call: Call) async throws -> ErpValue {
        call.answers.engineStatus(running: try await engine.isRunning(), interval: try await engine.interval(), progress: try await engine.progress())
    }

    /// The connection `ErpConnectionId` names; 400 without one, 404 for one that does not exist.
    private func connection(named call: Call) async throws -> SyncConnection {
        guard case .integer(let id)? = call.parameter("ErpConnectionId") else {
            throw ErpSyncError(.badRequest, type: "ArgumentException", .mustBeInteger(property: "ErpConnectionId"))
        }
        guard let connection = try await engine.connection(id: id) else {
            throw ErpSyncError(.notFound, type: "NotFound", .unknownConnection(id))
        }
        return connection
    }
}
