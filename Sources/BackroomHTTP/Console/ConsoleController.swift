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
        group.get("signin", use: signInPage)
        group.post("signin", use: signIn)
        group.post("signout", use: signOut)
        group.get("console.css") { _, _ in Self.asset(ConsoleAssets.css, type: "text/css; charset=utf-8") }
        group.get("console.js") { _, _ in Self.asset(ConsoleAssets.javascript, type: "text/javascript; charset=utf-8") }
        // The overview sends a user without `admin` to the page their rights open.
        let signedIn = group.group().add(middleware: ConsoleAccess(rights: [], console: self))
        signedIn.get("/", use: overview)
        let admins = group.group().add(middleware: ConsoleAccess(.stores, console: self))
        addStoresRoutes(to: admins)
        addAdministrationRoutes(to: admins, signedIn: signedIn)
        addUserRoutes(to: admins)
        // A stream is no page: refused as the API refuses.
        group.group().add(middleware: ConsoleAccess(.stores, console: self, refusesWithPage: false))
            .get("console/events/stores", use: storeEvents)
        addEngineRoutes(to: group.group().add(middleware: ConsoleAccess(.engine, console: self)))
        addStockRoutes(to: group.group().add(middleware: ConsoleAccess(.stock, console: self)))
        addReservationRoutes(to: group.group().add(middleware: ConsoleAccess(.reservations, console: self)))
    }

    // MARK: signing in and out

    @Sendable func signInPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        page(SignInPage(), context: context, request: request)
    }

    private struct SignInForm: Decodable {
        let user: String?
        let password: String?
    }

    @Sendable func signIn(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await Self.form(SignInForm.self, request, context: context)
        let name = form.user ?? ""
        let principal: Principal?
        do {
            principal = try await signIn.principal(user: name, password: form.password ?? "", from: context.clientAddress)
        } catch let refusal as AccessRefusal {
            var response = page(SignInPage(problem: refusal.message + ".", name: name.nonEmpty), context: context, request: request)
            response.status = refusal.status
            if let retryAfter = refusal.retryAfter { response.headers[.retryAfter] = retryAfter }
            return response
        }
        guard let principal else {
            var response = page(SignInPage(problem: ConsoleText.wrongPassword, name: name.nonEmpty), context: context, request: request)
            response.status = .unauthorized
            return response
        }
        var response = Self.redirect(to: "/")
        try await sessions.open(for: principal, on: &response)
        return response
    }

    @Sendable func signOut(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await Self.provenForm(ProofOnlyForm.self, request, context: context)
        var response = Self.redirect(to: "/signin")
        try await sessions.close(request, on: &response)
        return response
    }

    // MARK: rendering

    /// A page: its template's body inside the layout.
    func page<Page: ConsolePage>(_ page: Page, context: AppRequestContext, request: Request) -> Response {
        let body =
            ConsoleTemplates.library.render(
                ConsolePageScope(central: settings.role == .central, xsrf: Self.xsrf(request), page: page),
                withTemplate: Page.template.rawValue
            ) ?? ""
        let layout = ConsoleLayout(
            title: page.title,
            body: body,
            section: page.section,
            settings: settings,
            principal: context.identity,
            xsrf: Self.xsrf(request)
        )
        let html = ConsoleTemplates.library.render(layout, withTemplate: ConsoleTemplate.layout.rawValue) ?? ""
        return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    func refused(_ principal: Principal, right: String, context: AppRequestContext, request: Request) -> Response {
        var response = page(RefusedPage(user: principal.name, right: right), context: context, request: request)
        response.status = .forbidden
        return response
    }

    /// The session's XSRF token, which the page's forms carry.
    static func xsrf(_ request: Request) -> String {
        request.cookies[SessionCookie.xsrf]?.value ?? ""
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
}
