import BackroomCore
import BackroomSync
import Hummingbird

/// The sync engine and its connections in Backroom's own envelope (right `erpsync` or `admin`),
/// the same engine the ErpSync agent shows: `GET`/`PATCH /api/v1/engine` (`running`,
/// `interval` in seconds), `POST /api/v1/engine/rounds` (a round now, even when stopped);
/// `/api/v1/connections` listed, made, read, changed, deleted, tested, resynced and ordered.
struct EngineController {
    let engine: SyncEngine
    let auditor: Auditor

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("engine", use: status)
        group.patch("engine", use: change)
        group.post("engine/rounds", use: round)
        group.get("connections", use: list)
        group.post("connections", use: create)
        group.put("connections/priorities", use: prioritize)
        group.get("connections/:id", use: read)
        group.patch("connections/:id", use: update)
        group.delete("connections/:id", use: delete)
        group.post("connections/:id/test", use: test)
        group.post("connections/:id/resync", use: resync)
    }

    static let rights: [Right] = [.erpsync, .admin]

    @Sendable func status(_ request: Request, context: AppRequestContext) async throws -> Envelope<EngineWire> {
        _ = try context.requireAny(of: Self.rights)
        return .success(try await current())
    }

    /// `{"running": true, "interval": 300}`, either or both.
    @Sendable func change(_ request: Request, context: AppRequestContext) async throws -> Envelope<EngineWire> {
        _ = try context.requireAny(of: Self.rights)
        let body = try await JSONRequestBody.readObject(request, context: context)
        var running: Bool?
        var interval: SyncInterval?
        var problems: [FieldProblem] = []
        switch body["running"] {
        case nil, .null?: break
        case .bool(let flag)?: running = flag
        default: problems.append(FieldProblem(message: "running must be true or false", sourceField: "running"))
        }
        switch body["interval"] {
        case nil, .null?: break
        case .integer(let seconds)? where SyncInterval(seconds: Int(clamping: seconds)) != nil: interval = SyncInterval(seconds: Int(seconds))
        default:
            problems.append(
                FieldProblem(
                    message: "interval must be whole seconds from \(SyncInterval.shortest) to \(SyncInterval.longest)",
                    sourceField: "interval"
                )
            )
        }
        guard problems.isEmpty else { throw EnvelopeError(.badRequest, errors: problems) }
        if let running { try await engine.setRunning(running) }
        if let interval { try await engine.setInterval(interval) }
        try await auditor.record(context, .api, action: "engine.change", target: "engine", detail: body)
        return .success(try await current())
    }

    @Sendable func round(_ request: Request, context: AppRequestContext) async throws -> Envelope<EngineWire> {
        _ = try context.requireAny(of: Self.rights)
        try await auditor.record(context, .api, action: "engine.round", target: "engine")
        _ = try await engine.roundNow()
        return .success(try await current())
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Envelope<[ConnectionWire]> {
        _ = try context.requireAny(of: Self.rights)
        let includeDeleted = request.uri.queryParameters.get("includeDeleted") == "true"
        return .success(try await engine.connections(includeDeleted: includeDeleted).map(ConnectionWire.init))
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requireAny(of: Self.rights)
        let body = try await JSONRequestBody.readObject(request, context: context)
        guard case .integer(let connector)? = body["connectorId"] else {
            throw EnvelopeError.field("connectorId", "connectorId must be a connector's id")
        }
        let made = try await saved(context, try Self.change(body, id: 0, connector: connector))
        var response = Envelope.success(ConnectionWire(made), status: .created).response()
        response.headers[.location] = "/api/v1/connections/\(made.id)"
        return response
    }

    @Sendable func read(_ request: Request, context: AppRequestContext) async throws -> Envelope<ConnectionWire> {
        _ = try context.requireAny(of: Self.rights)
        return .success(ConnectionWire(try await connection(context)))
    }

    /// `name`, `active`, `config` (secrets left out keep what is stored).
    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> Envelope<ConnectionWire> {
        _ = try context.requireAny(of: Self.rights)
        let existing = try await connection(context)
        let body = try await JSONRequestBody.readObject(request, context: context)
        return .success(ConnectionWire(try await saved(context, try Self.change(body, id: existing.id, connector: nil))))
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requireAny(of: Self.rights)
        let existing = try await connection(context)
        guard try await engine.delete(connection: existing.id) else { throw Self.unknown("\(existing.id)") }
        try await auditor.record(context, .api, action: "connection.delete", target: "connection \(existing.id)")
        return Response(status: .noContent)
    }

    @Sendable func test(_ request: Request, context: AppRequestContext) async throws -> Envelope<ConnectionOutcomeWire> {
        _ = try context.requireAny(of: Self.rights)
        return .success(ConnectionOutcomeWire(reachable: await engine.test(try await connection(context))))
    }

    /// `{"ids": [...]}` for some movements only; what will happen, in words.
    @Sendable func resync(_ request: Request, context: AppRequestContext) async throws -> Envelope<ConnectionOutcomeWire> {
        _ = try context.requireAny(of: Self.rights)
        let existing = try await connection(context)
        let body = try await JSONRequestBody.readObject(request, context: context)
        let ids: [Int64]
        switch body["ids"] {
        case nil, .null?: ids = []
        case .array(let items)?:
            ids = try items.map { item in
                guard case .integer(let id) = item else { throw EnvelopeError.field("ids", "ids must be movements' internal keys") }
                return id
            }
        default: throw EnvelopeError.field("ids", "ids must be movements' internal keys")
        }
        switch try await engine.resync(connection: existing.id, ids: ids) {
        case .unknown: throw Self.unknown("\(existing.id)")
        case .deleted: throw EnvelopeError.coded(.conflict, code: "409", "Connection \(existing.id) is deleted and is no longer synced")
        case .started(let text):
            try await auditor.record(context, .api, action: "connection.resync", target: "connection \(existing.id)", detail: body)
            return .success(ConnectionOutcomeWire(reachable: nil, explanation: Self.english(text)))
        }
    }

    /// `[3, 1, 2]`: rounds visit these first, in this order.
    @Sendable func prioritize(_ request: Request, context: AppRequestContext) async throws -> Envelope<[ConnectionWire]> {
        _ = try context.requireAny(of: Self.rights)
        let body = try await JSONRequestBody.read(request, context: context)
        guard case .array(let items) = body else { throw EnvelopeError.field("body", "the body must be a list of connection ids") }
        let ids = try items.map { item in
            guard case .integer(let id) = item else { throw EnvelopeError.field("body", "the body must be a list of connection ids") }
            return id
        }
        guard try await engine.setPriorities(ids) else { throw EnvelopeError.field("body", "every id must be a connection's") }
        try await auditor.record(context, .api, action: "connection.priorities", target: "engine", detail: body)
        return .success(try await engine.connections(includeDeleted: false).map(ConnectionWire.init))
    }

    private func current() async throws -> EngineWire {
        let running = try await engine.isRunning()
        let progress = try await engine.progress()
        return EngineWire(
            running: running,
            interval: try await engine.interval(),
            progress: progress,
            message: progress.statusMessage(running: running).map(Self.english).joined(separator: " ")
        )
    }

    private func connection(_ context: AppRequestContext) async throws -> SyncConnection {
        let text = context.parameters.get("id") ?? ""
        guard let id = Int64(text), let connection = try await engine.connection(id: id) else { throw Self.unknown(text) }
        return connection
    }

    private func saved(_ context: AppRequestContext, _ change: SyncEngine.ConnectionChange) async throws -> SyncConnection {
        let saved: SyncConnection?
        do {
            saved = try await engine.save(change)
        } catch let refusal as SyncEngine.Refusal {
            let field =
                if case .settingProblem(let problem) = refusal.text { problem.field == "DisplayName" ? "name" : "config.\(problem.field)" } else {
                    "connectorId"
                }
            throw EnvelopeError.field(field, Self.english(refusal.text))
        }
        guard let saved else { throw Self.unknown("\(change.id)") }
        try await auditor.record(
            context,
            .api,
            action: change.id == 0 ? "connection.create" : "connection.change",
            target: "connection \(saved.id)",
            detail: .object([
                "name": change.name.map(JSONValue.string) ?? .null, "active": change.active.map(JSONValue.bool) ?? .null,
                "config": change.config.map { .object($0.mapValues(JSONValue.string)) } ?? .null,
            ])
        )
        return saved
    }

    private static func change(_ body: JSONValue, id: Int64, connector: Int64?) throws -> SyncEngine.ConnectionChange {
        var problems: [FieldProblem] = []
        var name: String?
        var active: Bool?
        var config: [String: String]?
        switch body["name"] {
        case nil, .null?: break
        case .string(let text)?: name = text
        default: problems.append(FieldProblem(message: "name must be a string", sourceField: "name"))
        }
        switch body["active"] {
        case nil, .null?: break
        case .bool(let flag)?: active = flag
        default: problems.append(FieldProblem(message: "active must be true or false", sourceField: "active"))
        }
        switch body["config"] {
        case nil, .null?: break
        case .object(let members)?:
            var texts: [String: String] = [:]
            for (key, value) in members {
                switch value {
                case .string(let text): texts[key] = text
                case .integer(let number): texts[key] = String(number)
                default: problems.append(FieldProblem(message: "a setting is a string or a whole number", sourceField: "config.\(key)"))
                }
            }
            config = texts
        default: problems.append(FieldProblem(message: "config must be an object of settings", sourceField: "config"))
        }
        guard problems.isEmpty else { throw EnvelopeError(.badRequest, errors: problems) }
        return SyncEngine.ConnectionChange(id: id, connectorId: connector, name: name, active: active, config: config)
    }

    private static func unknown(_ id: String) -> EnvelopeError {
        EnvelopeError.coded(.notFound, code: "404", "There is no connection \(id)")
    }

    static func english(_ text: ErpText) -> String {
        text.text(in: .en, culture: ErpCulture(language: nil, culture: nil, timeZone: .gmt))
    }
}

struct EngineWire: JSONRepresentable, Sendable {
    let running: Bool
    let interval: SyncInterval
    let progress: EngineProgress
    let message: String

    var json: JSONValue {
        let round = progress.lastRound
        return .object([
            "running": .bool(running),
            "interval": .integer(Int64(interval.seconds)),
            "message": .string(message),
            "visiting": progress.visiting.map {
                .object(["name": .string($0.name), "index": .integer(Int64($0.index)), "count": .integer(Int64($0.count))])
            } ?? .null,
            "lastRound": round.map { round in
                .object([
                    "started": .string(LocalTimestamp.iso8601(millis: round.startedAt, offsetSeconds: 0)),
                    "finished": .string(LocalTimestamp.iso8601(millis: round.finishedAt, offsetSeconds: 0)),
                    "connections": .integer(Int64(round.connections)), "changes": .integer(Int64(round.changes)),
                    "failed": .array(round.failed.map(JSONValue.string)),
                ])
            } ?? .null,
        ])
    }
}

/// A connection in Backroom's shape: secrets left out of `config`.
struct ConnectionWire: JSONRepresentable, Sendable {
    let connection: SyncConnection

    init(_ connection: SyncConnection) {
        self.connection = connection
    }

    var json: JSONValue {
        .object([
            "id": .integer(connection.id),
            "connectorId": .integer(connection.connectorId),
            "connector": .string(connection.kind.name),
            "name": .string(connection.name),
            "active": .bool(connection.active),
            "deleted": .bool(connection.deleted),
            "priority": connection.priority.map { .integer(Int64($0)) } ?? .null,
            "config": .object(connection.visibleConfig.mapValues(JSONValue.string)),
            "lastSuccess": connection.lastSuccessAt.map { .string(LocalTimestamp.iso8601(millis: $0, offsetSeconds: 0)) } ?? .null,
            "lastError": connection.lastError.map(JSONValue.string) ?? .null,
        ])
    }
}

/// What a test or a resync of a connection says.
struct ConnectionOutcomeWire: JSONRepresentable, Sendable {
    let reachable: Bool?
    var explanation: String?

    var json: JSONValue {
        var members: [String: JSONValue] = [:]
        if let reachable { members["reachable"] = .bool(reachable) }
        if let explanation { members["explanation"] = .string(explanation) }
        return .object(members)
    }
}
