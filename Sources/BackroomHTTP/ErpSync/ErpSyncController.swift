import BackroomCore
import BackroomSync
import Hummingbird
import HummingbirdCore

/// `POST /api/v1/Agents/ErpSync/{Method}`: the sync engine's status and controls, as the CRM's
/// `Agents/ErpSync` agent answers them (sync-engine.md). Right `erpsync` or `admin`. `GET` on a
/// method describes it without running it.
struct ErpSyncController {
    let engine: SyncEngine
    let auditor: Auditor
    let clock: BackroomClock

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post(":method", use: call)
        group.get(":method", use: describe)
    }

    /// One call: who asks, how it wants the answer, and its parameters.
    struct Call {
        let principal: Principal
        let conventions: ErpSyncConventions
        let parameters: AgentParameters
        let query: URI

        var answers: ErpSyncAnswers { conventions.answers(for: principal) }

        /// The parameter read as `read` reads it; a wrong one is 400 naming it.
        func read<Value>(_ read: (AgentParameters) throws -> Value) throws -> Value {
            do {
                return try read(parameters)
            } catch let problem as AgentParameters.Problem {
                throw ErpSyncController.refusal(problem)
            }
        }

        func respond(_ value: ErpValue) throws -> Response { try conventions.response(value) }

        /// 204 with the language it would have answered in.
        var noContent: Response { Response(status: .noContent, headers: [.contentLanguage: conventions.language.rawValue]) }
    }

    static func refusal(_ problem: AgentParameters.Problem) -> ErpSyncError {
        switch problem {
        case .mustBeBoolean(let name): ErpSyncError(.argument, .mustBeBoolean(property: name))
        case .mustBeInteger(let name): ErpSyncError(.argument, .mustBeInteger(property: name))
        case .mustBeObject(let name): ErpSyncError(.argument, .mustBeObject(property: name))
        case .mustBeText(let name): ErpSyncError(.argument, .mustBeText(property: name))
        }
    }

    @Sendable func call(_ request: Request, context: AppRequestContext) async throws -> Response {
        let method = try Self.method(context)
        let conventions = try ErpSyncConventions(request, now: clock.date())
        let bytes = try await request.body.collect(upTo: context.maxUploadSize)
        let body: JSONValue
        do throws(AgentRequestBody.Problem) {
            body = try AgentRequestBody.parse(Array(bytes.readableBytesView), contentType: request.headers[.contentType])
        } catch .unsupportedMediaType {
            throw ErpSyncError(.unsupportedMediaType, .unsupportedMediaType)
        } catch {
            throw ErpSyncError(.argument, .malformedBody)
        }
        let call = Call(principal: try Self.principal(context), conventions: conventions, parameters: AgentParameters(body), query: request.uri)
        let response: Response
        do {
            response = try await run(method, call)
        } catch let refusal as SyncEngine.Refusal {
            throw ErpSyncError(.argument, refusal.text)
        }
        if method.changesSomething {
            var parameters = body
            if let query = request.uri.queryParameters.get("erpSyncConnectorEntityId") {
                parameters = .object(["erpSyncConnectorEntityId": .string(query)])
            }
            try await auditor.record(
                context,
                .agent,
                action: "erpsync.\(method.rawValue)",
                target: Self.target(AgentParameters(parameters)),
                detail: parameters
            )
        }
        return response
    }

    @Sendable func describe(_ request: Request, context: AppRequestContext) async throws -> Response {
        let method = try Self.method(context)
        return try ErpSyncConventions(request, now: clock.date()).response(method.description)
    }

    /// The method the path names, once the caller may use the agent.
    private static func method(_ context: AppRequestContext) throws -> AgentMethod {
        let principal = try principal(context)
        let name = context.parameters.get("method") ?? ""
        guard let method = AgentMethod.named(name) else { throw ErpSyncError(.unknownMethod, .unknownMethod(name)) }
        guard principal.holdsAny(of: [.erpsync, .admin]) else { throw AccessRefusal.lacksRight(user: principal.name, rights: [.erpsync, .admin]) }
        return method
    }

    /// What a change was made to, as the audit log names it.
    private static func target(_ parameters: AgentParameters) -> String {
        let connection = try? parameters.object("Connection").text("ErpConnectionId")
        if let id = (try? parameters.text("ErpConnectionId")) ?? connection { return "connection \(id)" }
        if let id = (try? parameters.text("ErpConnectorId")) ?? (try? parameters.text("erpSyncConnectorEntityId")) { return "connector \(id)" }
        return "engine"
    }

    private static func principal(_ context: AppRequestContext) throws -> Principal {
        guard let principal = context.identity else { throw AccessRefusal.authenticationRequired }
        return principal
    }

    private func run(_ method: AgentMethod, _ call: Call) async throws -> Response {
        switch method {
        case .getEngineStatus: return try call.respond(try await currentStatus(call))
        case .changeEngineStatus: return try await changeEngineStatus(call)
        case .changeEngineInterval: return try await changeEngineInterval(call)
        case .syncAll: return try await syncAll(call, force: false)
        case .forceSyncAll: return try await syncAll(call, force: true)
        case .forceResync: return try await forceResync(call)
        case .getAllConnections:
            return try call.respond(
                call.answers.connections(try await engine.connections(includeDeleted: try call.read { try $0.boolean("IncludeDeleted") } ?? false))
            )
        case .getConnection:
            return try call.respond(try await connection(named: call).map(call.answers.connection) ?? .absent(type: "ErpConnection"))
        case .saveConnection: return try await saveConnection(call)
        case .deleteConnection:
            let id = try call.read { try $0.integer("ErpConnectionId") }
            try await requireAdminToChange(connection: id, call)
            try await engine.delete(connection: id)
            return call.noContent
        case .toggleErpConnectionActive: return try await toggleActive(call)
        case .testConnectionById: return try await testConnection(call)
        case .testConnectionByConfig:
            let id = try call.read { try $0.integer("ErpConnectionId") }
            return try call.respond(.bool(await engine.test(connection: id, config: try call.read { try $0.strings("ConfigFields") })))
        case .getErpConnectionConfigFields:
            return try call.respond(try await connection(named: call).map(call.answers.configFields) ?? .absent(type: "StringDictionary"))
        case .saveErpConnectionSyncPriorities:
            return try call.respond(.bool(try await engine.setPriorities(try call.read { try $0.integers("ErpConnectionIds") })))
        case .getErpSyncConnectionSummary:
            return try call.respond(
                try await engine.connection(id: try call.read { try $0.integer("ErpSyncConnectionId") }).map(call.answers.summary)
                    ?? .absent(type: "ErpSyncConnectionSummary")
            )
        case .getAllConnectors: return try call.respond(call.answers.connectors(try await engine.connectors()))
        case .getConfigurationFields:
            return try call.respond(
                try await engine.kind(ofConnector: try call.read { try $0.integer("ErpConnectorId") })
                    .map { call.answers.fields($0.fields) } ?? .absent(type: "ArrayOfFieldMetadata")
            )
        case .createDefaultErpSyncConnectorEntity:
            return try call.respond(call.answers.connectorEntity(ConnectorEntity(id: 0, name: "", url: "", deleted: false)))
        case .getErpSyncConnectorEntity:
            return try call.respond(
                try await engine.connectorEntity(id: try entityId(call)).map(call.answers.connectorEntity) ?? .absent(type: "ErpSyncConnectorEntity")
            )
        case .saveErpSyncConnectorEntity: return try await saveConnectorEntity(call)
        case .deleteErpSyncConnectorEntity:
            try await engine.deleteConnector(id: try entityId(call))
            return call.noContent
        case .canDeleteErpSyncConnectorEntity:
            let id = try call.read { try $0.integer("ErpSyncConnectorId") }
            return try call.respond(ErpSyncResponseCode(reasonNotToDelete: try await engine.reasonNotToDelete(connector: id)).value)
        case .testConnectorUrl:
            let reason = await engine.reason(reaching: try call.read { try $0.text("Url") } ?? "")
            return try call.respond(ErpSyncResponseCode(reasonNotReached: reason).value)
        }
    }

    // MARK: methods

    private func changeEngineStatus(_ call: Call) async throws -> Response {
        guard let run = try call.read({ try $0.boolean("Run") }) else {
            throw ErpSyncError(.argument, .mustBeBoolean(property: "Run"))
        }
        try await engine.setRunning(run)
        return try call.respond(try await currentStatus(call))
    }

    private func changeEngineInterval(_ call: Call) async throws -> Response {
        guard case .string(let text)? = call.parameters.value("Interval"), let interval = SyncInterval(text: String(text.trimmingOptionalWhitespace))
        else {
            let given: String =
                switch call.parameters.value("Interval") {
                case .string(let text)?: text
                case nil: "nothing"
                case let value?: JSONWriter.string(of: value)
                }
            throw ErpSyncError(.argument, .invalidInterval(given))
        }
        try await engine.setInterval(interval)
        return call.noContent
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
        return try call.respond(
            answers.pluginResponse(
                status: round.errors == 0 ? .ok : .warning,
                explanation: .roundDone(connections: round.connections, changes: round.changes, errors: round.errors),
                technical: technical,
                errorCode: round.errors == 0 ? "" : "ConnectionErrors"
            )
        )
    }

    /// The answer is what could not be done: `[]` when the toggle was done.
    private func toggleActive(_ call: Call) async throws -> Response {
        let id = try call.read { try $0.integer("ErpConnectionId") }
        try await requireAdminToChange(connection: id, call)
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

    /// Refuses a change of a link between Backroom's servers to anyone but an admin
    /// (`ConnectorKind.changedByAdminOnly`); `connector` is what a new connection would be of.
    func requireAdminToChange(connection id: Int64, connector: Int64? = nil, _ call: Call) async throws {
        guard !call.principal.isAdmin else { return }
        let kind = try await engine.connection(id: id)?.kind ?? connector.flatMap(ConnectorKind.builtIn(id:))
        if kind?.changedByAdminOnly == true { throw AccessRefusal.lacksRight(user: call.principal.name, rights: [.admin]) }
    }

    private func currentStatus(_ call: Call) async throws -> ErpValue {
        call.answers.engineStatus(running: try await engine.isRunning(), interval: try await engine.interval(), progress: try await engine.progress())
    }

    /// The connection `ErpConnectionId` names; 400 without one, nil for one that does not exist
    /// (not found is an answer in this family, not an HTTP error).
    private func connection(named call: Call) async throws -> SyncConnection? {
        try await engine.connection(id: try call.read { try $0.integer("ErpConnectionId") })
    }
}
