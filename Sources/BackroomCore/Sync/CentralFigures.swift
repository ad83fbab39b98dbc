/// What central says of a store's shops besides movements, with the last page of every pull:
/// what it holds reserved (reservations live on central only), what is blocked (set on
/// central), the users (so a till user added or changed at head office signs in at the store)
/// and the preferences. The store replaces what it knew with them.
public struct CentralFigures: Sendable, Equatable {
    /// The shops the figures are complete for: a product of these shops not listed has 0.
    public let shops: [Int]
    public let reserved: [ProductKey: Int64]
    public let blocked: [ProductKey: Int64]
    public let users: [StoreBootstrap.User]
    public let preferences: [Preference: Int]

    public init(
        shops: [Int],
        reserved: [ProductKey: Int64],
        blocked: [ProductKey: Int64],
        users: [StoreBootstrap.User],
        preferences: [Preference: Int]
    ) {
        self.shops = shops
        self.reserved = reserved.filter { $0.value != 0 }
        self.blocked = blocked.filter { $0.value != 0 }
        self.users = users
        self.preferences = preferences
    }

    public var json: JSONValue {
        .object([
            "shops": .array(shops.map { .integer(Int64($0)) }),
            "reserved": Self.json(reserved),
            "blocked": Self.json(blocked),
            "users": .array(users.map(\.json)),
            "preferences": StoreBootstrap.json(preferences),
        ])
    }

    /// The figures, or nil when the value is not what `json` writes.
    public static func parse(_ value: JSONValue) -> CentralFigures? {
        guard case .array(let shopValues) = value["shops"], let reserved = value["reserved"].flatMap(quantities),
            let blocked = value["blocked"].flatMap(quantities), let users = StoreBootstrap.User.parseList(value["users"]),
            let preferences = StoreBootstrap.parsePreferences(value["preferences"])
        else { return nil }
        let shops = shopValues.compactMap { if case .integer(let shop) = $0 { Int(shop) } else { nil } }
        guard shops.count == shopValues.count else { return nil }
        return CentralFigures(shops: shops, reserved: reserved, blocked: blocked, users: users, preferences: preferences)
    }

    private static func json(_ quantities: [ProductKey: Int64]) -> JSONValue {
        .array(
            quantities.sorted { $0.key < $1.key }.map { key, qty in
                .object(["shop": .integer(Int64(key.shop)), "id": .string(key.product), "qty": .integer(qty)])
            }
        )
    }

    private static func quantities(_ value: JSONValue) -> [ProductKey: Int64]? {
        guard case .array(let entries) = value else { return nil }
        var quantities: [ProductKey: Int64] = [:]
        for entry in entries {
            guard case .integer(let shop) = entry["shop"], case .string(let product) = entry["id"], case .integer(let qty) = entry["qty"]
            else { return nil }
            quantities[ProductKey(shop: Int(shop), product: product), default: 0] += qty
        }
        return quantities
    }
}
