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
    let signIn: SignInGuard
    let sessions: SessionIssuer
    let settings: ServerSettings
    let auditor: Auditor
    /// Central's reservations; nil on a store, which has none.
    let reservations: ReservationService?
    let figures: RecentFigures
    let prober: ServerStatusProber
    /// A store's link to central; nil on central.
    let link: StoreLink?
    /// The Stores page's live rows, shared by every console watching.
    let storeFeed: ConsoleFeed

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("/", use: overview)
        group.get("signin", use: signInPage)
        group.post("signin", use: signIn)
        group.post("signout", use: signOut)
        group.get("console.css") { _, _ in Self.asset(ConsoleAssets.css, type: "text/css; charset=utf-8") }
        group.get("console.js") { _, _ in Self.asset(ConsoleAssets.javascript, type: "text/javascript; charset=utf-8") }
        addStoresRoutes(to: group)
        addEngineRoutes(to: group)
        addAdministrationRoutes(to: group)
        addUserRoutes(to: group)
        addShopRoutes(to: group)
    }

    // MARK: signing in and out

    @Sendable func signInPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        page(ConsoleText.Title.signIn, "signin", [:], context: context, request: request)
    }

    @Sendable func signIn(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await Self.form(request, context: context)
        let name = form["user"] ?? ""
        let principal: Principal?
        do {
            principal = try await signIn.principal(user: name, password: form["password"] ?? "", from: context.clientAddress)
        } catch let refusal as AccessRefusal {
            var response = page(
                ConsoleText.Title.signIn,
                "signin",
                ["problem": refusal.message + ".", "name": name],
                context: context,
                request: request
            )
            response.status = refusal.status
            if let retryAfter = refusal.retryAfter { response.headers[.retryAfter] = retryAfter }
            return response
        }
        guard let principal else {
            var response = page(
                ConsoleText.Title.signIn,
                "signin",
                ["problem": ConsoleText.wrongPassword, "name": name],
                context: context,
                request: request
            )
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

    // MARK: rendering

    /// A page: the template's body inside the layout. An empty text counts as absent, so that a
    /// `{{#notice}}` section shows only with something to say (to Mustache any text is true).
    func page(_ title: String, _ template: String, _ model: [String: Any], context: AppRequestContext, request: Request) -> Response {
        var model = model.filter { ($0.value as? String)?.isEmpty != true }
        model["central"] = settings.role == .central
        let body = ConsoleTemplates.library.render(model, withTemplate: template) ?? ""
        var layout: [String: Any] = [
            "title": title, "server": settings.serverKey.value, "role": settings.role.rawValue, "body": body, "central": settings.role == .central,
        ]
        if let principal = context.identity {
            layout["user"] = principal.name
            // Only the pages this user may open are linked (the pages and the API refuse the rest).
            layout["mayAdminister"] = principal.isAdmin
            layout["maySync"] = principal.holdsAny(of: EngineController.rights)
            layout["mayCount"] = principal.holdsAny(of: [.stock])
            layout["mayReserve"] = principal.holdsAny(of: [.reservation]) && settings.role == .central
            layout["xsrf"] = request.cookies[SessionCookie.xsrf]?.value ?? ""
        }
        for (key, value) in model
        where [
            "overview", "storesPage", "enginePage", "preferencesPage", "auditPage", "erpPage", "usersPage", "stockPage", "reservationsPage",
            "apiPage",
        ].contains(key) { layout[key] = value }
        let html = ConsoleTemplates.library.render(layout, withTemplate: "layout") ?? ""
        return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    func refused(_ principal: Principal, right: String, context: AppRequestContext, request: Request) -> Response {
        var response = page(ConsoleText.Title.refused, "refused", ["user": principal.name, "right": right], context: context, request: request)
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
    /// as a field, checked against the token of the session that signed the request in (a
    /// cookie the sender set itself proves nothing).
    static func provenForm(_ request: Request, context: AppRequestContext) async throws -> [String: String] {
        try await provenFields(request, context: context).compactMapValues(\.last)
    }

    /// A proven form with every value of fields sent more than once (checkboxes).
    static func provenFields(_ request: Request, context: AppRequestContext) async throws -> [String: [String]] {
        guard context.identity != nil else { throw AccessRefusal.authenticationRequired }
        let fields = try await fields(request, context: context)
        guard let expected = context.sessionXSRFFingerprint, let proof = fields["xsrf"]?.last, SecretToken.fingerprint(proof) == expected else {
            throw AccessRefusal.xsrfProofMissing
        }
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
