import BackroomCore
import BackroomSecurity
import BackroomStorage
import Hummingbird

/// `/api/v1/tokens` and `/api/v1/tokens/{id}` (right `admin`; a user may make a token for
/// themselves): list (owner, created, last used, the fingerprint's first digits, never the
/// token), create (the token shown once), revoke (at once).
struct TokenAdminController {
    let storage: any IdentityStore
    let auditor: Auditor

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("tokens", use: list)
        group.post("tokens", use: create)
        group.delete("tokens/:id", use: revoke)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Envelope<[TokenWire]> {
        _ = try context.requireAny(of: [.admin])
        let paging = try ListPaging(request)
        let tokens = try await storage.apiTokens(after: paging.after, limit: paging.limit)
        return .page(tokens.map { TokenWire(token: $0, secret: nil) }, next: tokens.count == paging.limit ? tokens.last?.id : nil)
    }

    /// `{"user": NAME}`; without it, for the caller.
    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let body = try await JSONRequestBody.readObject(request, context: context)
        let owner: String
        switch body["user"] {
        case nil, .null?: owner = principal.name
        case .string(let name)?: owner = name
        default: throw EnvelopeError.field("user", "user must be a user's name")
        }
        guard principal.isAdmin || owner == principal.name else { throw AccessRefusal.lacksRight(user: principal.name, rights: [.admin]) }
        guard let user = try await storage.user(named: owner) else { throw EnvelopeError.field("user", "there is no user \(owner)") }
        let token = SecretToken.generate()
        let fingerprint = SecretToken.fingerprint(token)
        let createdAt = try await storage.addAPIToken(fingerprint: fingerprint, userID: user.principal.userID)
        let made = ListedToken(fingerprint: fingerprint, user: owner, createdAt: createdAt, lastUsedAt: nil)
        try await auditor.record(context, .api, action: "token.create", target: "token \(made.id)", detail: .object(["user": .string(owner)]))
        var response = Envelope.success(TokenWire(token: made, secret: token), status: .created).response()
        response.headers[.location] = "/api/v1/tokens/\(made.id)"
        response.headers[.cacheControl] = "no-store"
        return response
    }

    @Sendable func revoke(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requireAny(of: [.admin])
        let id = context.parameters.get("id") ?? ""
        guard id.count == ListedToken.idLength, try await storage.revokeAPIToken(id: id) else {
            throw EnvelopeError.coded(.notFound, code: "404", "There is no token \(id)")
        }
        try await auditor.record(context, .api, action: "token.revoke", target: "token \(id)")
        return Response(status: .noContent)
    }
}

/// A token on the wire: who it acts as, when it was made and last used, and its id (the first
/// digits of its fingerprint); the token itself only in the answer that made it.
struct TokenWire: JSONRepresentable, Sendable {
    let token: ListedToken
    let secret: String?

    var json: JSONValue {
        var members: [String: JSONValue] = [
            "id": .string(token.id),
            "user": .string(token.user),
            "created": .string(LocalTimestamp.iso8601(millis: token.createdAt, offsetSeconds: 0)),
            "lastUsed": token.lastUsedAt.map { .string(LocalTimestamp.iso8601(millis: $0, offsetSeconds: 0)) } ?? .null,
        ]
        if let secret { members["token"] = .string(secret) }
        return .object(members)
    }
}
