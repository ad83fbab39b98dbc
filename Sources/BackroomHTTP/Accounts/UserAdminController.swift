import BackroomCore
import BackroomSecurity
import BackroomStorage
import Hummingbird

/// `/api/v1/users` and `/api/v1/users/{name}` (right `admin`; a user may read themselves and
/// change their own password with the old one): list, create, read, change rights, shops,
/// password or whether they may sign in, delete. A change reaches every credential within the
/// verifier's 10 s; a new password ends the user's other sessions.
struct UserAdminController {
    let storage: any IdentityStore
    let auditor: Auditor
    /// Checks the old password of a change of one's own, as a sign-in.
    let signIn: SignInGuard

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("users", use: list)
        group.post("users", use: create)
        group.get("users/:name", use: read)
        group.patch("users/:name", use: change)
        group.delete("users/:name", use: delete)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Envelope<[UserWire]> {
        _ = try context.requireAny(of: [.admin])
        let paging = try ListPaging(request)
        let users = try await storage.users(after: paging.after, limit: paging.limit)
        return .page(users.map(UserWire.init), next: users.count == paging.limit ? users.last?.principal.name : nil)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requireAny(of: [.admin])
        let asked = try await JSONRequestBody.read(request, context: context, as: UserRequest.creation)
        guard let name = asked.name, let password = asked.password else { throw EnvelopeError.field("name", "name is required") }
        let user = NewUser(name: name, passwordHash: try await PasswordHasher.hash(password), rights: asked.rights ?? [], shops: asked.shops ?? [])
        do {
            try await storage.createUser(user)
        } catch StorageError.alreadyExists {
            throw EnvelopeError.coded(.conflict, code: "409", "The user name \(name) is taken")
        }
        try await auditor.record(context, .api, action: "user.create", target: "user \(name)", detail: Self.detail(asked))
        var response = Envelope.success(try await wire(name), status: .created).response()
        response.headers[.location] = "/api/v1/users/\(name)"
        return response
    }

    @Sendable func read(_ request: Request, context: AppRequestContext) async throws -> Envelope<UserWire> {
        let name = try self.name(context, allowingSelf: true)
        return .success(try await wire(name))
    }

    /// An admin changes anything but their own right to sign in; anyone else only their own
    /// password, with the old one.
    @Sendable func change(_ request: Request, context: AppRequestContext) async throws -> Envelope<UserWire> {
        let name = try self.name(context, allowingSelf: true)
        let principal = try context.requirePrincipal()
        let asked = try await JSONRequestBody.read(request, context: context, as: UserRequest.change)
        guard let stored = try await storage.user(named: name) else { throw Self.unknown(name) }
        if !principal.isAdmin {
            guard asked.rights == nil, asked.shops == nil, asked.disabled == nil else {
                throw AccessRefusal.lacksRight(user: principal.name, rights: [.admin])
            }
            // A sign-in like any other: counted and throttled, so it is no way around the throttle.
            guard let old = asked.oldPassword, try await signIn.principal(user: name, password: old, from: context.clientAddress) != nil else {
                throw EnvelopeError.field("oldPassword", "oldPassword must be the password the user has now")
            }
        }
        if asked.disabled == true, name == principal.name { throw EnvelopeError.field("disabled", "an administrator cannot disable themselves") }
        var hash = stored.passwordHash
        if let password = asked.password { hash = try await PasswordHasher.hash(password) }
        try await storage.updateUser(
            NewUser(
                name: name,
                passwordHash: hash,
                rights: asked.rights ?? stored.principal.rights,
                shops: asked.shops ?? stored.principal.shops
            )
        )
        if let disabled = asked.disabled, disabled != stored.disabled { _ = try await storage.setUserDisabled(named: name, disabled: disabled) }
        if asked.password != nil {
            let own = (request.cookies[SessionCookie.session]?.value).map { SecretToken.fingerprint(String($0)) }
            try await storage.deleteSessions(ofUser: name, keeping: principal.name == name ? own : nil)
        }
        try await auditor.record(context, .api, action: "user.change", target: "user \(name)", detail: Self.detail(asked))
        return .success(try await wire(name))
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.requireAny(of: [.admin])
        let name = context.parameters.get("name") ?? ""
        guard name != principal.name else { throw EnvelopeError.field("name", "an administrator cannot delete themselves") }
        guard try await storage.deleteUser(named: name) else { throw Self.unknown(name) }
        try await auditor.record(context, .api, action: "user.delete", target: "user \(name)")
        return Response(status: .noContent)
    }

    /// The user the path names, if the caller may see them.
    private func name(_ context: AppRequestContext, allowingSelf: Bool) throws -> String {
        let principal = try context.requirePrincipal()
        let name = context.parameters.get("name") ?? ""
        guard principal.isAdmin || (allowingSelf && name == principal.name) else {
            throw AccessRefusal.lacksRight(user: principal.name, rights: [.admin])
        }
        return name
    }

    private func wire(_ name: String) async throws -> UserWire {
        guard let user = try await storage.listedUser(named: name) else { throw Self.unknown(name) }
        return UserWire(user)
    }

    private static func unknown(_ name: String) -> EnvelopeError {
        EnvelopeError.coded(.notFound, code: "404", "There is no user \(name)")
    }

    /// What the audit log keeps of a request: never the passwords, only that one was set.
    private static func detail(_ asked: UserRequest) -> JSONValue {
        var members: [String: JSONValue] = [:]
        if asked.password != nil { members["password"] = .string("***") }
        if let rights = asked.rights { members["rights"] = .array(rights.sorted().map { .string($0.rawValue) }) }
        if let shops = asked.shops { members["shops"] = .array(shops.sorted().map { .integer(Int64($0)) }) }
        if let disabled = asked.disabled { members["disabled"] = .bool(disabled) }
        return .object(members)
    }
}

/// A user on the wire: no password hash.
struct UserWire: JSONRepresentable, Sendable {
    let user: ListedUser

    init(_ user: ListedUser) {
        self.user = user
    }

    var json: JSONValue {
        .object([
            "name": .string(user.principal.name),
            "rights": .array(user.principal.rights.sorted().map { .string($0.rawValue) }),
            "shops": .array(user.principal.shops.sorted().map { .integer(Int64($0)) }),
            "disabled": .bool(user.disabled),
            "created": .string(LocalTimestamp.iso8601(millis: user.createdAt, offsetSeconds: 0)),
        ])
    }
}
