import BackroomCore
import BackroomStorage
import Hummingbird

/// The console's Preferences page (every preference, set one) and Audit log page (newest first,
/// a page at a time), for admins.
extension ConsoleController {
    static let auditPageSize = 50

    /// The admins' pages here, and the API page for anyone signed in.
    func addAdministrationRoutes(to admins: RouterGroup<AppRequestContext>, signedIn: RouterGroup<AppRequestContext>) {
        admins.get("preferences", use: preferencesPage)
        admins.post("preferences/:name", use: setPreference)
        admins.get("audit", use: auditPage)
        signedIn.get("api", use: apiPage)
    }

    struct APIPage: ConsolePage {
        struct Family: Sendable {
            let name: String
            let operations: [Operation]
        }

        struct Operation: Sendable {
            let method: String
            let path: String
            let summary: String
            let access: String
        }

        static let template = ConsoleTemplate.api
        let title = ConsoleText.Title.api
        let section: ConsoleSection? = .api
        let families: [Family]
    }

    /// The OpenAPI document as a page: each family's operations, for anyone signed in.
    @Sendable func apiPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let operations = OpenAPIOperations.all().filter { $0.roles.contains(settings.role) }
        let families = APIOperation.Family.allCases.map { family in
            APIPage.Family(
                name: family.rawValue,
                operations: operations.filter { $0.family == family }.map { operation in
                    let access =
                        switch operation.access {
                        case .none: "anyone"
                        case .user: "a user's credentials"
                        case .session: "the console's session"
                        case .storeToken: "a store's sync token"
                        }
                    return APIPage.Operation(method: operation.method, path: operation.path, summary: operation.summary, access: access)
                }
            )
        }
        return page(APIPage(families: families), context: context, request: request)
    }

    struct PreferencesPage: ConsolePage {
        struct Row: Sendable {
            let name: String
            let unit: String
            let min: String
            let max: String
            let `default`: String
            let value: String
        }

        static let template = ConsoleTemplate.preferences
        let title = ConsoleText.Title.preferences
        let section: ConsoleSection? = .preferences
        let rows: [Row]
        let notice: String?
    }

    @Sendable func preferencesPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        var rows: [PreferencesPage.Row] = []
        for preference in Preference.allCases {
            let value = preference.effectiveValue(stored: try await storage.storedPreference(preference))
            rows.append(
                PreferencesPage.Row(
                    name: preference.rawValue,
                    unit: preference.unit.rawValue,
                    min: preference.text(of: preference.allowedRange.lowerBound),
                    max: preference.text(of: preference.allowedRange.upperBound),
                    default: preference.text(of: preference.defaultValue),
                    value: preference.text(of: value)
                )
            )
        }
        return page(PreferencesPage(rows: rows, notice: Self.notice(request)), context: context, request: request)
    }

    private struct PreferenceForm: Decodable {
        let value: String?
    }

    @Sendable func setPreference(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await Self.provenForm(PreferenceForm.self, request, context: context)
        let name = context.parameters.get("name") ?? ""
        let notice: String
        do {
            let preference = try Preference.named(name)
            let value = try preference.validate(form.value ?? "")
            try await storage.setPreference(preference, value: value)
            try await auditor.record(
                context,
                .api,
                action: "preference.set",
                target: "preference \(name)",
                detail: .object(["value": .string(preference.text(of: value))])
            )
            notice = ConsoleText.preferenceSet(name, preference.text(of: value))
        } catch let problem as ConfigurationError {
            notice = problem.description
        }
        return Self.redirect(to: "/preferences", notice: notice)
    }

    struct AuditPage: ConsolePage {
        struct Entry: Sendable {
            let at: String
            let actor: String
            let channel: String
            let origin: String
            let action: String
            let target: String
            let detail: String
        }

        static let template = ConsoleTemplate.audit
        let title = ConsoleText.Title.audit
        let section: ConsoleSection? = .audit
        let entries: [Entry]
        /// Where the next page begins; nil on the last.
        let next: String?
    }

    @Sendable func auditPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let after = request.uri.queryParameters.get("after").flatMap { Int64($0) }
        let entries = try await storage.auditEntries(before: after, limit: Self.auditPageSize)
        let model = AuditPage(
            entries: entries.map { entry in
                AuditPage.Entry(
                    at: LocalTimestamp.iso8601(millis: entry.at, offsetSeconds: 0),
                    actor: entry.actor,
                    channel: entry.channel.rawValue,
                    origin: entry.origin,
                    action: entry.action,
                    target: entry.target,
                    detail: entry.detail
                )
            },
            next: entries.count == Self.auditPageSize ? entries.last.map { String($0.id) } : nil
        )
        return page(model, context: context, request: request)
    }
}
