import BackroomCore
import BackroomSync
import Hummingbird

/// `POST /api/v1/Agents/ErpSync/{Method}`: the sync engine's status and controls, as the CRM's
/// `Agents/ErpSync` agent answers them (sync-engine.md). Right `erpsync` or `admin`. `GET` on a
/// method describes it without running it.
struct ErpSyncController {
    let engine: SyncEngine
    let clock: BackroomClock

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post(":method", use: call)
        group.get(":method", use: describe)
    }

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

        /// A boolean parameter; XML and form bodies send it as `true` / `false`. Absent: nil.
        func boolean(_ name: String) throws -> Bool? {
            switch parameter(name) {
            case nil, .null?: return nil
            case .bool(let flag)?: return flag
            case .string(let text)? where ["true", "false"].contains(text.trimmingOptionalWhitespace.lowercased()):
                return text.trimmingOptionalWhitespace.lowercased() == "true"
            default: throw ErpSyncError(.argument, .mustBeBoolean(property: name))
            }
        }

        /// A whole-number parameter, as a number or (XML, form) as digits.
        func integer(_ name: String) throws -> Int64 {
            switch parameter(name) {
            case .integer(let number)?: return number
            case .string(let text)?:
                if let number = Int64(text.trimmingOptionalWhitespace) { return number }
                fallthrough
            default: throw ErpSyncError(.argument, .mustBeInteger(property: name))
            }
        }

        func respond(_ value: ErpValue) throws -> Response { try conventions.response(value) }
    }

    @Sendable func call(_ request: Request, context: AppRequestContext) async throws -> Response {
        let method = try Self.method(context)
        let conventions = try ErpSyncConventions(request, now: clock.now())
        let bytes = try await request.body.collect(upTo: context.maxUploadSize)
        let body: JSONValue
        do throws(AgentRequestBody.Problem) {
            body = try AgentRequestBody.parse(Array(bytes.readableBytesView), contentType: request.headers[.contentType])
        } catch .unsupportedMediaType {
            throw ErpSyncError(.unsupportedMediaType, .unsupportedMediaType)
        } catch {
            throw ErpSyncError(.argument, .malformedBody)
        }
        return try await run(method, Call(principal: try Self.principal(context), conventions: conventions, body: body))
    }

    @Sendable func describe(_ request: Request, context: AppRequestContext) async throws -> Response {
        let method = try Self.method(context)
        return try ErpSyncConventions(request, now: clock.now()).response(method.description)
    }

    /// The method the path names, once the caller may use the agent.
    private static func method(_ context: AppRequestContext) throws -> AgentMethod {
        let principal = try principal(context)
        let name = context.parameters.get("method") ?? ""
        guard let method = AgentMethod.named(name) else { throw ErpSyncError(.unknownMethod, .unknownMethod(name)) }
        guard principal.holdsAny(of: [.erpsync, .admin]) else { throw AccessRefusal.lacksRight(user: principal.name, rights: [.erpsync, .admin]) }
        return method
    }

    private static func principal(_ context: AppRequestContext) throws -> Principal {
        guard let principal = context.identity else { throw AccessRefusal.authenticationRequired }
        return principal
    }

    private func run(_ method: AgentMethod, _ call: Call) async throws -> Response {
        switch method {
        case .getEngineStatus: try call.respond(try await currentStatus(call))
        case .changeEngineStatus: try await changeEngineStatus(call)
        case .changeEngineInterval: try await changeEngineInterval(call)
        case .syncAll: try await syncAll(call, force: false)
        case .forceSyncAll: try await syncAll(call, force: true)
        case .getAllConnections:
            try call.respond(call.answers.connections(try await engine.connections(includeDeleted: try call.boolean("IncludeDeleted") ?? false)))
        case .getConnection:
            try call.respond(try await connection(named: call).map(call.answers.connection) ?? .absent(type: "ErpConnection"))
        case .toggleErpConnectionActive: try await toggleActive(call)
        case .testConnectionById: try await testConnection(call)
        case .getAllConnectors: try call.respond(call.answers.connectors(engine.connectorKinds))
        }
    }

    // MARK: methods

    private func changeEngineStatus(_ call: Call) async throws -> Response {
        guard let run = try call.boolean("Run") else {
            throw ErpSyncError(.argument, .mustBeBoolean(property: "Run"))
        }
        try await engine.setRunning(run)
        return try call.respond(try await currentStatus(call))
    }

    private func changeEngineInterval(_ call: Call) async throws -> Response {
        guard case .string(let text)? = call.parameter("Interval"), let interval = SyncInterval(text: String(text.trimmingOptionalWhitespace)) else {
            let given: String = switch call.parameter("Interval") {
            case .string(let text)?: text
            case nil: "nothing"
            case let value?: JSONWriter.string(of: value)
            }
            throw ErpSyncError(.argument, .invalidInterval(given))
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
            status: round.errors == 0 ? .ok : .warning,
            explanation: .roundDone(connections: round.connections, changes: round.changes, errors: round.errors),
            technical: technical, errorCode: round.errors == 0 ? "" : "ConnectionErrors"
        ))
    }

    /// The answer is what could not be done: `[]` when the toggle was done.
    private func toggleActive(_ call: Call) async throws -> Response {
        let id = try call.integer("ErpConnectionId")
        guard let connection = try await engine.connection(id: id),
              try await engine.setActive(!connection.active, connection: connection.id) != nil
        else { return try call.respond(call.answers.strings([.unknownConnection(id)])) }
        return try call.respond(call.answers.strings([]))
    }

    private func testConnection(_ call: Call) async throws -> Response {
        guard let connection = try await connection(named: call) else { return try call.respond(.bool(false)) }
        return try call.respond(.bool(await engine.test(connection)))
    }

    // MARK: helpers

    private func currentStatus(_ call: Call) async throws -> ErpValue {
        call.answers.engineStatus(running: try await engine.isRunning(), interval: try await engine.interval(), progress: try await engine.progress())
    }

    /// The connection `ErpConnectionId` names; 400 without one, nil for one that does not exist
    /// (not found is an answer in this family, not an HTTP error).
    private func connection(named call: Call) async throws -> SyncConnection? {
        try await engine.connection(id: try call.integer("ErpConnectionId"))
    }
}
