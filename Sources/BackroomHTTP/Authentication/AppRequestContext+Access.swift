import BackroomCore
import Hummingbird

extension AppRequestContext {
    /// The caller, or 401 when it did not prove who it is.
    func requirePrincipal() throws -> Principal {
        guard let identity else { throw AccessRefusal.authenticationRequired }
        return identity
    }

    /// The caller if it holds one of `rights`; 401 when anonymous, 403 otherwise.
    func requireAny(of rights: [Right]) throws -> Principal {
        let principal = try requirePrincipal()
        guard principal.holdsAny(of: rights) else { throw AccessRefusal.lacksRight(user: principal.name, rights: rights) }
        return principal
    }

    /// The shop the route parameter `name` names, if `principal` may act on it; an id that is
    /// not a number names no shop (404, 21006).
    func shop(parameter name: String, for principal: Principal) throws -> Int {
        let text = parameters.get(name) ?? ""
        guard let shop = Int(text) else { throw ReservationProblems.noSuchShop(text) }
        try requireShop(shop, for: principal)
        return shop
    }

    /// 403 unless `principal` may act on `shop`.
    func requireShop(_ shop: Int, for principal: Principal) throws {
        guard principal.mayActOn(shop: shop) else { throw AccessRefusal.notOnShop(user: principal.name, shop: shop) }
    }
}
