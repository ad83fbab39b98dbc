import BackroomCore
import Hummingbird

extension AppRequestContext {
    /// The caller, or 401 when it did not prove who it is.
    func requirePrincipal() throws -> Principal {
        guard let identity else { throw HTTPError(.unauthorized, message: "Authentication required") }
        return identity
    }

    /// The caller if it holds one of `rights`; 401 when anonymous, 403 otherwise.
    func requireAny(of rights: [Right]) throws -> Principal {
        let principal = try requirePrincipal()
        guard principal.holdsAny(of: rights) else {
            let names = rights.map(\.rawValue).joined(separator: " or ")
            throw HTTPError(.forbidden, message: "User \(principal.name) lacks the right \(names)")
        }
        return principal
    }
}
