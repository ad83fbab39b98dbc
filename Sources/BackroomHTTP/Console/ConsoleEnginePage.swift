import BackroomCore
import BackroomSync
import Hummingbird

/// The console's Sync engine page (rights `erpsync` or `admin`, as the agent's): status, start
/// and stop, interval, a round now, and each connection with toggle, test, resync and a place
/// further up the round. Every form answers with a redirect to the page and a notice of what
/// was done (post, redirect, get), and is written to the audit log.
extension ConsoleController {
    func addEngineRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("engine", use: enginePage)
        group.post("engine/run", use: runEngine)
        group.post("engine/round", use: roundNow)
        group.post("engine/interval", use: setInterval)
        group.post("engine/connections/:id/:action", use: connectionAction)
        group.get("erp", use: erpPage)
    }

    struct ErpPage: ConsolePage {
        struct Folder: Sendable {
            let id: Int64
            let name: String
            let folder: String
            let waiting: Int
            let done: Int
            let exportFiles: Int
            let hasFailed: Bool
            let failed: [FailedFile]
        }

        struct FailedFile: Sendable {
            let name: String
            let modified: String
            let error: String
        }

        static let template = ConsoleTemplate.erp
        let title = ConsoleText.Title.erp
        let section: ConsoleSection? = .erp
        let folders: [Folder]
    }

    /// Every ERP files connection's folder: what waits, what was imported and exported, and each
    /// refused file with its reason.
    @Sendable func erpPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        var folders: [ErpPage.Folder] = []
        for connection in try await engine.connections(includeDeleted: false) where connection.kind == .erpFiles {
            // A folder it may not use (outside the ERP root) shows nothing of what is there.
            guard let listing = try? await engine.erpFolder(connection: connection.id) else { continue }
            folders.append(
                ErpPage.Folder(
                    id: connection.id,
                    name: connection.name,
                    folder: listing.folder,
                    waiting: listing.waiting.count,
                    done: listing.done.count,
                    exportFiles: listing.exportFiles,
                    hasFailed: !listing.failed.isEmpty,
                    failed: listing.failed.map { file in
                        ErpPage.FailedFile(
                            name: file.name,
                            modified: LocalTimestamp.iso8601(millis: file.modified, offsetSeconds: 0),
                            error: file.error ?? ""
                        )
                    }
                )
            )
        }
        return page(ErpPage(folders: folders), context: context, request: request)
    }

    struct EnginePage: ConsolePage {
        struct Connection: Sendable {
            let id: Int64
            let name: String
            let connector: String
            let active: Bool
            let priority: String
            let actions: [Action]
            let lastSuccess: String
            let lastError: String
        }

        struct Action: Sendable {
            let action: String
            let label: String
        }

        static let template = ConsoleTemplate.engine
        let title = ConsoleText.Title.engine
        let section: ConsoleSection? = .engine
        let running: Bool
        let interval: String
        let seconds: Int
        let message: String
        let connections: [Connection]
        let notice: String?
    }

    @Sendable func enginePage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let running = try await engine.isRunning()
        let interval = try await engine.interval()
        let progress = try await engine.progress()
        let connections = SyncConnection.visitOrder(try await engine.connections(includeDeleted: false)).map { connection in
            EnginePage.Connection(
                id: connection.id,
                name: connection.name,
                connector: connection.kind.name,
                active: connection.active,
                priority: connection.priority.map(String.init) ?? "",
                actions: [
                    .init(action: "toggle", label: connection.active ? "Deactivate" : "Activate"), .init(action: "test", label: "Test"),
                    .init(action: "resync", label: "Resync"), .init(action: "up", label: "Visit earlier"),
                ],
                lastSuccess: Self.instant(connection.lastSuccessAt),
                lastError: connection.lastError ?? ""
            )
        }
        let model = EnginePage(
            running: running,
            interval: interval.description,
            seconds: interval.seconds,
            message: progress.statusMessage(running: running).map(EngineController.english).joined(separator: " "),
            connections: connections,
            notice: Self.notice(request)
        )
        return page(model, context: context, request: request)
    }

    private struct RunForm: Decodable {
        let running: String?
    }

    private struct IntervalForm: Decodable {
        let seconds: String?
    }

    @Sendable func runEngine(_ request: Request, context: AppRequestContext) async throws -> Response {
        let running = try await Self.provenForm(RunForm.self, request, context: context).running == "true"
        try await engine.setRunning(running)
        try await auditor.record(context, .api, action: "engine.change", target: "engine", detail: .object(["running": .bool(running)]))
        return Self.notice(ConsoleText.Engine.running(running))
    }

    @Sendable func roundNow(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await Self.provenForm(ProofOnlyForm.self, request, context: context)
        try await auditor.record(context, .api, action: "engine.round", target: "engine")
        guard let round = try await engine.roundNow() else { return Self.notice(ConsoleText.Engine.roundStillRuns) }
        return Self.notice(EngineController.english(.roundDone(connections: round.connections, changes: round.changes, errors: round.errors)))
    }

    @Sendable func setInterval(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await Self.provenForm(IntervalForm.self, request, context: context)
        guard let interval = form.seconds.flatMap({ Int($0) }).flatMap({ SyncInterval(seconds: $0) }) else {
            return Self.notice(ConsoleText.Engine.badInterval(shortest: SyncInterval.shortest, longest: SyncInterval.longest))
        }
        try await engine.setInterval(interval)
        try await auditor.record(
            context,
            .api,
            action: "engine.change",
            target: "engine",
            detail: .object(["interval": .integer(Int64(interval.seconds))])
        )
        return Self.notice(ConsoleText.Engine.interval(interval))
    }

    @Sendable func connectionAction(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await Self.provenForm(ProofOnlyForm.self, request, context: context)
        guard let id = context.parameters.get("id").flatMap({ Int64($0) }), let connection = try await engine.connection(id: id), !connection.deleted
        else {
            return Self.notice(ConsoleText.Engine.noSuchConnection)
        }
        let action = context.parameters.get("action") ?? ""
        let notice: String
        switch action {
        case "toggle":
            _ = try await engine.setActive(!connection.active, connection: id)
            notice = ConsoleText.Engine.toggled(connection.name, active: !connection.active)
        case "test":
            notice = ConsoleText.Engine.reached(connection.name, await engine.test(connection))
        case "resync":
            guard case .started(let text) = try await engine.resync(connection: id, ids: []) else {
                return Self.notice(ConsoleText.Engine.cannotResync(connection.name))
            }
            notice = EngineController.english(text)
        case "up":
            let order = SyncConnection.visitOrder(try await engine.connections(includeDeleted: false)).map(\.id)
            guard let place = order.firstIndex(of: id), place > 0 else { return Self.notice(ConsoleText.Engine.firstAlready(connection.name)) }
            var moved = order
            moved.swapAt(place, place - 1)
            _ = try await engine.setPriorities(moved)
            notice = ConsoleText.Engine.earlier(connection.name)
        default:
            return Self.notice(ConsoleText.nothingToDo)
        }
        if action != "test" {
            try await auditor.record(context, .api, action: "connection.\(action)", target: "connection \(id)")
        }
        return Self.notice(notice)
    }

    private static func notice(_ text: String) -> Response {
        redirect(to: "/engine", notice: text)
    }
}
