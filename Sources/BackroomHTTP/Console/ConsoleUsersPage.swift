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
        try await usersPage(request, context: context, notice: Self.notice(request), token: nil)
    }

    private struct NewUserForm: Decodable {
        let name: String?
        let password: String?
        /// The checked rights (`right[]`, one field a box).
        let right: [String]?
        /// Shop ids separated by commas.
        let shops: String?
    }

    @Sendable func addUser(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await Self.provenForm(NewUserForm.self, request, context: context)
        let shops = (form.shops ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let body: JSONValue = .object([
            "name": .string(form.name ?? ""), "password": .string(form.password ?? ""),
            "rights": .array((form.right ?? []).map(JSONValue.string)),
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
        let principal = try context.requirePrincipal()
        _ = try await Self.provenForm(ProofOnlyForm.self, request, context: context)
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
            var response = try await usersPage(request, context: context, notice: nil, token: (name, token))
            response.headers[.cacheControl] = "no-store"
            return response
        default:
            return Self.users(notice: ConsoleText.nothingToDo)
        }
    }

    @Sendable func revokeToken(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await Self.provenForm(ProofOnlyForm.self, request, context: context)
        let id = context.parameters.get("id") ?? ""
        guard id.count == ListedToken.idLength, try await storage.revokeAPIToken(id: id) else {
            return Self.users(notice: ConsoleText.Users.noSuchToken(id))
        }
        try await auditor.record(context, .api, action: "token.revoke", target: "token \(id)")
        return Self.users(notice: ConsoleText.Users.revoked(id))
    }

    struct UsersPage: ConsolePage {
        struct User: Sendable {
            let name: String
            let rights: String
            let shops: String
            let disabled: Bool
        }

        struct Token: Sendable {
            let id: String
            let user: String
            let created: String
            let lastUsed: String
        }

        static let template = ConsoleTemplate.users
        let title = ConsoleText.Title.users
        let section: ConsoleSection? = .users
        let users: [User]
        let tokens: [Token]
        let allRights: [String]
        let notice: String?
        /// A token just made, shown once.
        let token: String?
        let tokenUser: String?
    }

    private func usersPage(
        _ request: Request,
        context: AppRequestContext,
        notice: String?,
        token: (user: String, token: String)?
    ) async throws -> Response {
        let users = try await storage.users(after: nil, limit: ListPaging.limits.upperBound).map { user in
            UsersPage.User(
                name: user.principal.name,
                rights: user.principal.rights.sorted().map(\.rawValue).joined(separator: ", "),
                shops: user.principal.shops.sorted().map(String.init).joined(separator: ", "),
                disabled: user.disabled
            )
        }
        let tokens = try await storage.apiTokens(after: nil, limit: ListPaging.limits.upperBound).map { listed in
            UsersPage.Token(id: listed.id, user: listed.user, created: Self.instant(listed.createdAt), lastUsed: Self.instant(listed.lastUsedAt))
        }
        let model = UsersPage(
            users: users,
            tokens: tokens,
            allRights: Right.allCases.map(\.rawValue),
            notice: notice,
            token: token?.token,
            tokenUser: token?.user
        )
        return page(model, context: context, request: request)
    }

    private static func users(notice: String) -> Response {
        redirect(to: "/users", notice: notice)
    }
}
