import BackroomCore
import BackroomSecurity
import BackroomStorage
import Hummingbird

/// The console's Users and tokens page (admins): users with their rights and shops, added,
/// disabled and enabled; tokens listed by fingerprint, made (shown on the answer itself, once,
/// never in a URL) and revoked.
extension ConsoleController {
    func addUserRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("users", use: usersPage)
        group.post("users", use: addUser)
        group.post("users/:name/:action", use: userAction)
        group.post("tokens/:id/revoke", use: revokeToken)
    }

    @Sendable func usersPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let principal = context.identity else { return Self.redirect(to: "/signin") }
        guard principal.isAdmin else { return refused(principal, right: "admin", context: context, request: request) }
        return try await usersPage(request, context: context, notice: Self.notice(request), token: nil)
    }

    @Sendable func addUser(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requireAny(of: [.admin])
        let form = try await Self.provenFields(request, context: context)
        let shops = (form["shops"]?.first ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let body: JSONValue = .object([
            "name": .string(form["name"]?.first ?? ""), "password": .string(form["password"]?.first ?? ""),
            "rights": .array((form["right"] ?? []).map(JSONValue.string)),
            "shops": .array(shops.map { Int64($0).map(JSONValue.integer) ?? .string($0) }),
        ])
        let asked: UserRequest
        do throws(InvalidInput) {
            asked = try UserRequest.creation(body)
        } catch {
            return Self.users(notice: error.problems.map(\.message).joined(separator: "; "))
        }
        guard let name = asked.name, let password = asked.password else { return Self.users(notice: ConsoleText.Users.nameAndPasswordNeeded) }
        do {
            try await storage.createUser(
                NewUser(name: name, passwordHash: try await PasswordHasher.hash(password), rights: asked.rights ?? [], shops: asked.shops ?? [])
            )
        } catch StorageError.alreadyExists {
            return Self.users(notice: ConsoleText.Users.nameTaken(name))
        }
        var detail: [String: JSONValue] = ["password": .string("***")]
        detail["rights"] = .array((asked.rights ?? []).sorted().map { .string($0.rawValue) })
        try await auditor.record(context, .api, action: "user.create", target: "user \(name)", detail: .object(detail))
        return Self.users(notice: ConsoleText.Users.added(name))
    }

    @Sendable func userAction(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.requireAny(of: [.admin])
        _ = try await Self.provenForm(request, context: context)
        let name = context.parameters.get("name") ?? ""
        switch context.parameters.get("action") {
        case "disable", "enable":
            let disable = context.parameters.get("action") == "disable"
            guard !(disable && name == principal.name) else { return Self.users(notice: ConsoleText.Users.cannotDisableYourself) }
            guard try await storage.setUserDisabled(named: name, disabled: disable) else {
                return Self.users(notice: ConsoleText.Users.noSuchUser(name))
            }
            try await auditor.record(context, .api, action: "user.change", target: "user \(name)", detail: .object(["disabled": .bool(disable)]))
            return Self.users(notice: ConsoleText.Users.disabled(name, disable))
        case "token":
            guard let user = try await storage.user(named: name) else { return Self.users(notice: ConsoleText.Users.noSuchUser(name)) }
            let token = SecretToken.generate()
            let fingerprint = SecretToken.fingerprint(token)
            try await storage.addAPIToken(fingerprint: fingerprint, userID: user.principal.userID)
            let id = String(fingerprint.prefix(ListedToken.idLength))
            try await auditor.record(context, .api, action: "token.create", target: "token \(id)", detail: .object(["user": .string(name)]))
            // Answered here, not by a redirect: a token must not travel in a URL.
            var response = try await usersPage(request, context: context, notice: "", token: (name, token))
            response.headers[.cacheControl] = "no-store"
            return response
        default:
            return Self.users(notice: ConsoleText.nothingToDo)
        }
    }

    @Sendable func revokeToken(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requireAny(of: [.admin])
        _ = try await Self.provenForm(request, context: context)
        let id = context.parameters.get("id") ?? ""
        guard id.count == ListedToken.idLength, try await storage.revokeAPIToken(id: id) else {
            return Self.users(notice: ConsoleText.Users.noSuchToken(id))
        }
        try await auditor.record(context, .api, action: "token.revoke", target: "token \(id)")
        return Self.users(notice: ConsoleText.Users.revoked(id))
    }

    private func usersPage(
        _ request: Request,
        context: AppRequestContext,
        notice: String,
        token: (user: String, token: String)?
    ) async throws -> Response {
        let users = try await storage.users(after: nil, limit: ListPaging.limits.upperBound).map { user -> [String: Any] in
            [
                "name": user.principal.name, "rights": user.principal.rights.sorted().map(\.rawValue).joined(separator: ", "),
                "shops": user.principal.shops.sorted().map(String.init).joined(separator: ", "), "disabled": user.disabled,
            ]
        }
        let tokens = try await storage.apiTokens(after: nil, limit: ListPaging.limits.upperBound).map { listed -> [String: String] in
            ["id": listed.id, "user": listed.user, "created": Self.instant(listed.createdAt), "lastUsed": Self.instant(listed.lastUsedAt)]
        }
        return page(
            ConsoleText.Title.users,
            "users",
            [
                "usersPage": true, "users": users, "tokens": tokens, "allRights": Right.allCases.map(\.rawValue), "notice": notice,
                "token": token?.token ?? "", "tokenUser": token?.user ?? "", "xsrf": request.cookies[SessionCookie.xsrf]?.value ?? "",
            ],
            context: context,
            request: request
        )
    }

    private static func users(notice: String) -> Response {
        redirect(to: "/users", notice: notice)
    }
}
