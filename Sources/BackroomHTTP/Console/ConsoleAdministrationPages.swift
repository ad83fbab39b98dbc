import BackroomCore
import BackroomStorage
import Hummingbird

/// The console's Preferences page (every preference, set one) and Audit log page (newest first,
/// a page at a time), for admins.
extension ConsoleController {
    static let auditPageSize = 50

    func addAdministrationRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("preferences", use: preferencesPage)
        group.post("preferences/:name", use: setPreference)
        group.get("audit", use: auditPage)
        group.get("api", use: apiPage)
    }

    /// The OpenAPI document as a page: each family's operations, for anyone signed in.
    @Sendable func apiPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard context.identity != nil else { return Self.redirect(to: "/signin") }
        let operations = OpenAPIOperations.all().filter { $0.roles.contains(settings.role) }
        let families = APIOperation.Family.allCases.map { family -> [String: Any] in
            [
                "name": family.rawValue,
                "operations": operations.filter { $0.family == family }.map { operation -> [String: String] in
                    let access =
                        switch operation.access {
                        case .none: "anyone"
                        case .user: "a user's credentials"
                        case .session: "the console's session"
                        case .storeToken: "a store's sync token"
                        }
                    return ["method": operation.method, "path": operation.path, "summary": operation.summary, "access": access]
                },
            ]
        }
        return page(ConsoleText.Title.api, "api", ["apiPage": true, "families": families], context: context, request: request)
    }

    @Sendable func preferencesPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let principal = context.identity else { return Self.redirect(to: "/signin") }
        guard principal.isAdmin else { return refused(principal, right: "admin", context: context, request: request) }
        var rows: [[String: Any]] = []
        for preference in Preference.allCases {
            let value = preference.effectiveValue(stored: try await storage.storedPreference(preference))
            rows.append([
                "name": preference.rawValue, "unit": preference.unit.rawValue, "min": preference.text(of: preference.allowedRange.lowerBound),
                "max": preference.text(of: preference.allowedRange.upperBound), "default": preference.text(of: preference.defaultValue),
                "value": preference.text(of: value),
            ])
        }
        return page(
            ConsoleText.Title.preferences,
            "preferences",
            [
                "preferencesPage": true, "rows": rows, "notice": Self.notice(request),
                "xsrf": request.cookies[SessionCookie.xsrf]?.value ?? "",
            ],
            context: context,
            request: request
        )
    }

    @Sendable func setPreference(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requireAny(of: [.admin])
        let form = try await Self.provenForm(request, context: context)
        let name = context.parameters.get("name") ?? ""
        let notice: String
        do {
            let preference = try Preference.named(name)
            let value = try preference.validate(form["value"] ?? "")
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

    @Sendable func auditPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let principal = context.identity else { return Self.redirect(to: "/signin") }
        guard principal.isAdmin else { return refused(principal, right: "admin", context: context, request: request) }
        let after = request.uri.queryParameters.get("after").flatMap { Int64($0) }
        let entries = try await storage.auditEntries(before: after, limit: Self.auditPageSize)
        return page(
            ConsoleText.Title.audit,
            "audit",
            [
                "auditPage": true,
                "entries": entries.map { entry -> [String: String] in
                    [
                        "at": LocalTimestamp.iso8601(millis: entry.at, offsetSeconds: 0), "actor": entry.actor, "channel": entry.channel.rawValue,
                        "origin": entry.origin, "action": entry.action, "target": entry.target, "detail": entry.detail,
                    ]
                },
                "next": entries.count == Self.auditPageSize ? entries.last.map { String($0.id) } ?? "" : "",
            ],
            context: context,
            request: request
        )
    }
}
