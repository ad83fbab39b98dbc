/// An authenticated user as the request handlers see it: who it is and what it may do.
public struct Principal: Sendable, Equatable {
    public let userID: Int64
    public let name: String
    public let rights: Set<Right>
    /// Shops granted one by one; `admin` covers every shop regardless.
    public let shops: Set<Int>

    public init(userID: Int64, name: String, rights: Set<Right>, shops: Set<Int>) {
        self.userID = userID
        self.name = name
        self.rights = rights
        self.shops = shops
    }

    public var isAdmin: Bool { rights.contains(.admin) }

    /// `admin` holds every right, so an operator never has to grant rights one by one to it.
    public func holds(_ right: Right) -> Bool {
        isAdmin || rights.contains(right)
    }

    public func holdsAny(of rights: [Right]) -> Bool {
        rights.contains { holds($0) }
    }

    public func mayActOn(shop: Int) -> Bool {
        isAdmin || shops.contains(shop)
    }
}
