import BackroomCore
import BackroomSecurity
import BackroomStorage
import Foundation
import Hummingbird

/// Browser sessions for the dashboard: `POST /api/v1/login`, `POST /api/v1/logout`, and
/// `GET /api/v1/me` to ask who one is signed in as.
struct SessionController {
    let issuer: SessionIssuer
    let signIn: SignInGuard

    struct Login: Decodable {
        let user: String
        let password: String
    }

    struct Account: JSONRepresentable, Sendable {
        let user: String
        let rights: [String]
        /// nil for an administrator, who may act in every shop; the key is left out then.
        let shops: [Int]?

        init(_ principal: Principal) {
            user = principal.name
            rights = principal.rights.sorted().map(\.rawValue)
            shops = principal.isAdmin ? nil : principal.shops.sorted()
        }

        var json: JSONValue {
            var members: [String: JSONValue] = ["user": .string(user), "rights": .array(rights.map(JSONValue.string))]
            if let shops { members["shops"] = .array(shops.map { .integer(Int64($0)) }) }
            return .object(members)
        }
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("login", use: login)
        group.post("logout", use: logout)
        group.get("me") { _, context in
            Envelope.success(Account(try context.requirePrincipal()))
        }
    }

    @Sendable func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await decodeLogin(request, context: context)
        guard let principal = try await signIn.principal(user: form.user, password: form.password, from: context.clientAddress) else {
            throw EnvelopeError.coded(.unauthorized, code: "401", "Wrong user name or password")
        }
        var response = try Envelope.success(Account(principal)).response(from: request, context: context)
        try await issuer.open(for: principal, on: &response)
        return response
    }

    @Sendable func logout(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requirePrincipal()
        var response = Response(status: .noContent)
        try await issuer.close(request, on: &response)
        return response
    }

    private func decodeLogin(_ request: Request, context: AppRequestContext) async throws -> Login {
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        if contentType.hasPrefix("application/x-www-form-urlencoded") {
            return try await URLEncodedFormDecoder().decode(Login.self, from: request, context: context)
        }
        return try await JSONDecoder().decode(Login.self, from: request, context: context)
    }
}
