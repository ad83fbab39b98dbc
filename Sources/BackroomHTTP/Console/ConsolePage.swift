import BackroomCore
import BackroomSecurity
import Hummingbird

/// The console's templates, each registered once under its name.
enum ConsoleTemplate: String, CaseIterable, Sendable {
    case layout
    case signIn = "signin"
    case overview, stores, store, missing, engine, preferences, audit, erp, users, stock, reservations, refused,
        api
}

/// The console's areas, in the order the layout links them, each with the rights that open it
/// (none: anyone signed in): written once for the navigation and for the routes' access checks.
enum ConsoleSection: CaseIterable, Sendable {
    case overview, stores, engine, stock, reservations, erp, users, preferences, audit, api

    var path: String {
        switch self {
        case .overview: "/"
        case .stores: "/stores"
        case .engine: "/engine"
        case .stock: "/stock"
        case .reservations: "/reservations"
        case .erp: "/erp"
        case .users: "/users"
        case .preferences: "/preferences"
        case .audit: "/audit"
        case .api: "/api"
        }
    }

    var label: String {
        switch self {
        case .overview: "Overview"
        case .stores: "Stores"
        case .engine: "Sync engine"
        case .stock: "Stock"
        case .reservations: "Reservations"
        case .erp: "ERP"
        case .users: "Users and tokens"
        case .preferences: "Preferences"
        case .audit: "Audit log"
        case .api: "API"
        }
    }

    var rights: [Right] {
        switch self {
        case .overview, .stores, .users, .preferences, .audit: [.admin]
        case .engine, .erp: EngineController.rights
        case .stock: [.stock]
        case .reservations: [.reservation]
        case .api: []
        }
    }

    /// Only central keeps reservations.
    func isServed(on role: ServerRole) -> Bool {
        self != .reservations || role == .central
    }

    func opens(for principal: Principal) -> Bool {
        rights.isEmpty || principal.holdsAny(of: rights)
    }
}

/// A page of the console: the typed model its template renders inside the layout.
protocol ConsolePage: Sendable {
    static var template: ConsoleTemplate { get }
    var title: String { get }
    /// The navigation entry it is under; nil for pages outside the navigation.
    var section: ConsoleSection? { get }
}

extension ConsolePage {
    var section: ConsoleSection? { nil }
}

/// A page's model as its template sees it: the page's own values, then whether this is central
/// (templates show central's parts by it) and the session's XSRF token (its forms carry it).
struct ConsolePageScope<Page: ConsolePage>: Sendable {
    let central: Bool
    let xsrf: String
    let page: Page
}

/// The layout around every page: the server, the signed-in user and the pages their rights open.
struct ConsoleLayout: Sendable {
    struct Link: Sendable {
        let href: String
        let label: String
        let current: Bool
    }

    let title: String
    let server: String
    let role: String
    let body: String
    let user: String?
    /// Only the pages this user may open are linked (the pages and the API refuse the rest).
    let navigation: [Link]
    let xsrf: String

    init(title: String, body: String, section: ConsoleSection?, settings: ServerSettings, principal: Principal?, xsrf: String) {
        self.title = title
        self.body = body
        server = settings.serverKey.value
        role = settings.role.rawValue
        user = principal?.name
        navigation = ConsoleSection.allCases.filter { entry in
            principal.map { entry.opens(for: $0) && entry.isServed(on: settings.role) } ?? false
        }.map { Link(href: $0.path, label: $0.label, current: $0 == section) }
        self.xsrf = principal == nil ? "" : xsrf
    }
}

/// The sign-in page, with why the last attempt failed.
struct SignInPage: ConsolePage {
    static let template = ConsoleTemplate.signIn
    let title = ConsoleText.Title.signIn
    var problem: String?
    var name: String?
}

/// What was asked for is not there.
struct MissingPage: ConsolePage {
    static let template = ConsoleTemplate.missing
    let title: String
    let what: String
}

/// A page the user's rights do not open.
struct RefusedPage: ConsolePage {
    static let template = ConsoleTemplate.refused
    let title = ConsoleText.Title.refused
    let user: String
    let right: String
}

/// The console's routes that need a session and one of `rights` (none: any signed-in user).
/// Without a session the request is refused, which `ConsoleSignInRedirect` turns into the
/// sign-in page; without the right, a page asked for says so in a page, and a form or an event
/// stream is refused as the API refuses it.
struct ConsoleAccess: RouterMiddleware {
    typealias Context = AppRequestContext

    let rights: [Right]
    let console: ConsoleController
    var refusesWithPage = true

    /// The access of `section`'s pages.
    init(_ section: ConsoleSection, console: ConsoleController, refusesWithPage: Bool = true) {
        self.init(rights: section.rights, console: console, refusesWithPage: refusesWithPage)
    }

    init(rights: [Right], console: ConsoleController, refusesWithPage: Bool = true) {
        self.rights = rights
        self.console = console
        self.refusesWithPage = refusesWithPage
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let principal = context.identity else { throw AccessRefusal.authenticationRequired }
        guard rights.isEmpty || principal.holdsAny(of: rights) else {
            guard request.method == .get, refusesWithPage else { throw AccessRefusal.lacksRight(user: principal.name, rights: rights) }
            // The refusal names the right that opens the page (`erpsync` of `erpsync` or `admin`).
            return console.refused(principal, right: rights.first?.rawValue ?? "", context: context, request: request)
        }
        return try await next(request, context)
    }
}

/// A form that changes something carries the session's XSRF token as a field: a form cannot
/// send the header.
private struct XSRFProof: Decodable {
    let xsrf: String?
}

/// A form with nothing but its proof.
struct ProofOnlyForm: Decodable {}

extension ConsoleController {
    /// A form that changes something, read as `Fields`: the token it carries is checked against
    /// the token of the session that signed the request in (a cookie the sender set itself
    /// proves nothing).
    static func provenForm<Fields: Decodable>(_ fields: Fields.Type, _ request: Request, context: AppRequestContext) async throws -> Fields {
        guard context.identity != nil else { throw AccessRefusal.authenticationRequired }
        let body = String(buffer: try await request.body.collect(upTo: context.maxUploadSize))
        let proof = try decoded(XSRFProof.self, body)
        guard let expected = context.sessionXSRFFingerprint, let token = proof.xsrf, SecretToken.fingerprint(token) == expected else {
            throw AccessRefusal.xsrfProofMissing
        }
        return try decoded(Fields.self, body)
    }

    /// A form as browsers send it, read as `Fields`.
    static func form<Fields: Decodable>(_ fields: Fields.Type, _ request: Request, context: AppRequestContext) async throws -> Fields {
        try decoded(Fields.self, String(buffer: try await request.body.collect(upTo: context.maxUploadSize)))
    }

    private static func decoded<Fields: Decodable>(_ type: Fields.Type, _ body: String) throws -> Fields {
        do {
            return try URLEncodedFormDecoder().decode(Fields.self, from: body)
        } catch {
            // The reason is not told: it would repeat what was sent, a password perhaps.
            throw HTTPError(.badRequest, message: "The form could not be read.")
        }
    }
}

extension String {
    /// The text, or nil when empty: to Mustache any text, even empty, opens a section.
    var nonEmpty: String? { isEmpty ? nil : self }
}
