import BackroomCore
import BackroomSecurity
import BackroomStorage
import BackroomSync
import Foundation
import Hummingbird
import ServiceLifecycle

/// The operator console at `/`: server-rendered pages over the same stores the admin API reads,
/// signed in by the browser session, with security headers that allow nothing from elsewhere and
/// no inline script. The Stores page's rows change live over Server-Sent Events.
struct ConsoleController {
    let storage: any BackroomStorage
    let engine: SyncEngine
    let registry: RegistryReader
    let verifier: CredentialVerifier
    let sessions: SessionIssuer
    let settings: ServerSettings
    let auditor: Auditor
    /// Central's reservations; nil on a store, which has none.
    let reservations: ReservationService?

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("/", use: overview)
        group.get("signin", use: signInPage)
        group.post("signin", use: signIn)
        group.post("signout", use: signOut)
        group.get("stores", use: storesPage)
        group.get("console/events/stores", use: storeEvents)
        group.get("console.css") { _, _ in Self.asset(ConsoleAssets.css, type: "text/css; charset=utf-8") }
        group.get("console.js") { _, _ in Self.asset(ConsoleAssets.javascript, type: "text/javascript; charset=utf-8") }
        addEngineRoutes(to: group)
        addAdministrationRoutes(to: group)
        addUserRoutes(to: group)
        addShopRoutes(to: group)
    }

    // MARK: signing in and out

    @Sendable func signInPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        page("Sign in", "signin", [:], context: context, request: request)
    }

    @Sendable func signIn(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await Self.form(request, context: context)
        let name = form["user"] ?? ""
        guard let principal = try await verifier.principal(user: name, password: form["password"] ?? "") else {
            var response = page("Sign in", "signin", ["problem": "Wrong user name or password.", "name": name], context: context, request: request)
            response.status = .unauthorized
            return response
        }
        var response = Self.redirect(to: "/")
        try await sessions.open(for: principal, on: &response)
        return response
    }

    @Sendable func signOut(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await Self.provenForm(request, context: context)
        var response = Self.redirect(to: "/signin")
        try await sessions.close(request, on: &response)
        return response
    }

    // MARK: pages

    @Sendable func overview(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let principal = context.identity else { return Self.redirect(to: "/signin") }
        guard principal.isAdmin else { return refused(principal, right: "admin", context: context, request: request) }
        let rows = try await registry.rows().filter { $0.server.registration.type == .store }
        // From the best to the worst, as people read a traffic light.
        let counts = [ServerStatus.online, .transitionToOnline, .transitionToOffline, .offline].map { status in ["status": status.rawValue, "count": rows.filter { $0.status == status }.count] as [String: Any] }
        let running = try await engine.isRunning()
        let progress = try await engine.progress()
        var alerts = rows.filter { $0.status == .offline }.map { "Store \($0.server.registration.key) is OFF." }
        for connection in try await engine.connections(includeDeleted: false) where connection.kind == .erpFiles {
            if let failed = try await engine.erpFolder(connection: connection.id)?.failed.count, failed > 0 {
                alerts.append("ERP connection \(connection.name) has \(failed) failed file(s).")
            }
        }
        return page("Overview", "overview", [
            "overview": true, "counts": counts, "running": running, "interval": try await engine.interval().description,
            "message": progress.statusMessage(running: running).map(EngineController.english).joined(separator: " "), "alerts": alerts,
            "hasAlerts": !alerts.isEmpty,
        ], context: context, request: request)
    }

    @Sendable func storesPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let principal = context.identity else { return Self.redirect(to: "/signin") }
        guard principal.isAdmin else { return refused(principal, right: "admin", context: context, request: request) }
        return page("Stores", "stores", ["storesPage": true, "rows": try await registry.rows().map { StoreRow($0).fields }], context: context, request: request)
    }

    /// The registry's rows as events: at once, then whenever they change (looked at every
    /// second), with a comment now and then so that proxies keep the stream open.
    @Sendable func storeEvents(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        guard principal.isAdmin else { throw AccessRefusal.lacksRight(user: principal.name, rights: [.admin]) }
        let registry = registry
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody { writer in
                var last = ""
                var quiet = 0
                // A graceful shutdown ends the stream (the browser reconnects to whichever server is up).
                while !Task.isCancelled, !Task.isShuttingDownGracefully {
                    let data = JSONWriter.string(of: .array(try await registry.rows().map { StoreRow($0).json }))
                    if data != last {
                        try await writer.write(ByteBuffer(string: "event: stores\ndata: \(data)\n\n"))
                        last = data
                        quiet = 0
                    } else if quiet >= 15 {
                        try await writer.write(ByteBuffer(string: ": still here\n\n"))
                        quiet = 0
                    }
                    quiet += 1
                    do {
                        try await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(1)) }
                    } catch is CancellationError {
                        break
                    }
                }
                try await writer.finish(nil)
            }
        )
    }

    // MARK: rendering

    /// A page: the template's body inside the layout. An empty text counts as absent, so that a
    /// `{{#notice}}` section shows only with something to say (to Mustache any text is true).
    func page(_ title: String, _ template: String, _ model: [String: Any], context: AppRequestContext, request: Request) -> Response {
        let model = model.filter { ($0.value as? String)?.isEmpty != true }
        let body = ConsoleTemplates.library.render(model, withTemplate: template) ?? ""
        var layout: [String: Any] = ["title": title, "server": settings.serverKey.value, "role": settings.role.rawValue, "body": body]
        if let principal = context.identity {
            layout["user"] = principal.name
            layout["xsrf"] = request.cookies[SessionCookie.xsrf]?.value ?? ""
        }
        for (key, value) in model where ["overview", "storesPage", "enginePage", "preferencesPage", "auditPage", "erpPage", "usersPage", "stockPage", "reservationsPage"].contains(key) { layout[key] = value }
        let html = ConsoleTemplates.library.render(layout, withTemplate: "layout") ?? ""
        return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    func refused(_ principal: Principal, right: String, context: AppRequestContext, request: Request) -> Response {
        var response = page("Not for you", "refused", ["user": principal.name, "right": right], context: context, request: request)
        response.status = .forbidden
        return response
    }

    /// Back to a page after a form, with what was done: `query` (already encoded) and the notice.
    static func redirect(to path: String, query: String = "", notice: String) -> Response {
        let encoded = notice.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return redirect(to: path + "?" + (query.isEmpty ? "" : query + "&") + "notice=" + encoded)
    }

    static func redirect(to path: String) -> Response {
        Response(status: .seeOther, headers: [.location: path])
    }

    private static func asset(_ text: String, type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .cacheControl: "max-age=300"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// A form that changes something: a form cannot send the XSRF header, so it sends the token
    /// as a field, checked against the cookie the same way.
    static func provenForm(_ request: Request, context: AppRequestContext) async throws -> [String: String] {
        try await provenFields(request, context: context).compactMapValues(\.last)
    }

    /// A proven form with every value of fields sent more than once (checkboxes).
    static func provenFields(_ request: Request, context: AppRequestContext) async throws -> [String: [String]] {
        let fields = try await fields(request, context: context)
        guard let cookie = request.cookies[SessionCookie.xsrf]?.value, fields["xsrf"]?.last == cookie else { throw AccessRefusal.xsrfProofMissing }
        return fields
    }

    /// A form's fields, as browsers send them; the last value of a field sent more than once.
    static func form(_ request: Request, context: AppRequestContext) async throws -> [String: String] {
        try await fields(request, context: context).compactMapValues(\.last)
    }

    private static func fields(_ request: Request, context: AppRequestContext) async throws -> [String: [String]] {
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        var fields: [String: [String]] = [:]
        for pair in String(buffer: body).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map {
                $0.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            fields[parts[0], default: []].append(parts.count > 1 ? parts[1] : "")
        }
        return fields
    }
}

/// A row of the Stores page, as the page shows it and the live events send it.
struct StoreRow: Sendable {
    let fields: [String: String]

    init(_ server: RegisteredServer) {
        func instant(_ millis: Int64?) -> String { millis.map { LocalTimestamp.iso8601(millis: $0, offsetSeconds: 0) } ?? "" }
        fields = [
            "key": server.server.registration.key.value, "name": server.server.registration.name, "status": server.status.rawValue,
            "updated": instant(server.server.updatedAt), "lastPing": instant(server.server.lastPing),
            "toStore": server.waiting.map { String($0.toStore) } ?? "", "fromStore": server.waiting?.fromStore.map(String.init) ?? "",
            "offlineLog": server.server.offlineLog ?? "",
        ]
    }

    var json: JSONValue { .object(fields.mapValues(JSONValue.string)) }
}
