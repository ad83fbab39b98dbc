/// What a store loads from central on first contact: central's key and the store's own
/// registration (its registry holds itself and central), its shops, their stock as it stands
/// with the heads it pulls on from (`StockSnapshot`; from a central before sync protocol 3,
/// blocked only, on hand arriving as the movements it is the sum of), the users with their
/// rights and password hashes (so tills sign in while central is away), and the preferences.
public struct StoreBootstrap: Sendable, Equatable {
    public struct User: Sendable, Equatable {
        public let name: String
        public let passwordHash: String
        public let rights: [Right]
        public let shops: [Int]

        public init(name: String, passwordHash: String, rights: [Right], shops: [Int]) {
            self.name = name
            self.passwordHash = passwordHash
            self.rights = rights
            self.shops = shops
        }

        public var json: JSONValue {
            .object([
                "name": .string(name), "passwordHash": .string(passwordHash),
                "rights": .array(rights.map { .string($0.rawValue) }), "shops": .array(shops.map { .integer(Int64($0)) }),
            ])
        }

        /// A list of users as `json` writes each; unknown rights are skipped, so that a newer
        /// central can add some. Nil when anything else is off.
        public static func parseList(_ value: JSONValue?) -> [User]? {
            guard case .array(let entries)? = value else { return nil }
            var users: [User] = []
            for entry in entries {
                guard case .string(let name) = entry["name"], case .string(let hash) = entry["passwordHash"],
                    case .array(let rights) = entry["rights"], case .array(let shops) = entry["shops"]
                else { return nil }
                users.append(
                    User(
                        name: name,
                        passwordHash: hash,
                        rights: rights.compactMap { if case .string(let text) = $0 { Right(rawValue: text) } else { nil } },
                        shops: shops.compactMap { if case .integer(let shop) = $0 { Int(shop) } else { nil } }
                    )
                )
            }
            return users
        }
    }

    public let central: ServerKey
    public let store: ServerRegistration
    public let shops: [Shop]
    public let stock: [StockLevel]
    /// Nil from a central before sync protocol 3: the store pulls every movement from the start.
    public let heads: SyncCursor?
    public let users: [User]
    public let preferences: [Preference: Int]

    public init(
        central: ServerKey,
        store: ServerRegistration,
        shops: [Shop],
        stock: [StockLevel],
        heads: SyncCursor?,
        users: [User],
        preferences: [Preference: Int]
    ) {
        self.central = central
        self.store = store
        self.shops = shops
        self.stock = stock
        self.heads = heads
        self.users = users
        self.preferences = preferences
    }

    public var json: JSONValue {
        .object([
            "central": .string(central.value),
            "store": .object([
                "key": .string(store.key.value), "name": .string(store.name), "url": store.url.map(JSONValue.string) ?? .null,
                "shops": .array(store.shops.map { .integer(Int64($0)) }),
            ]),
            "shops": .array(shops.map { .object(["id": .integer(Int64($0.id)), "name": .string($0.name)]) }),
            "stock": .array(
                stock.map {
                    .object([
                        "shop": .integer(Int64($0.shop)), "id": .string($0.product), "onHand": .integer($0.onHand), "blocked": .integer($0.blocked),
                    ])
                }
            ),
            "heads": heads.map { .string($0.encoded) } ?? .null,
            "users": .array(users.map(\.json)),
            "preferences": Self.json(preferences),
        ])
    }

    /// Reads what `json` wrote; nil when anything is off. Unknown rights and preferences are
    /// skipped, so a newer central can add some.
    public static func parse(_ body: JSONValue) -> StoreBootstrap? {
        guard case .string(let centralText) = body["central"], let central = try? ServerKey(centralText),
            case .string(let storeText) = body["store"]?["key"], let storeKey = try? ServerKey(storeText),
            case .string(let storeName) = body["store"]?["name"], case .array(let storeShops) = body["store"]?["shops"],
            case .array(let shopEntries) = body["shops"], case .array(let stockEntries) = body["stock"],
            let users = User.parseList(body["users"]), let preferences = parsePreferences(body["preferences"])
        else { return nil }
        var storeURL: String?
        if case .string(let url) = body["store"]?["url"] { storeURL = url }
        let store = ServerRegistration(
            key: storeKey,
            name: storeName,
            type: .store,
            url: storeURL,
            shops: storeShops.compactMap { if case .integer(let shop) = $0 { Int(shop) } else { nil } }
        )
        var shops: [Shop] = []
        for entry in shopEntries {
            guard case .integer(let id) = entry["id"], case .string(let name) = entry["name"] else { return nil }
            shops.append(Shop(id: Int(id), name: name))
        }
        var stock: [StockLevel] = []
        for entry in stockEntries {
            guard case .integer(let shop) = entry["shop"], case .string(let product) = entry["id"], case .integer(let blocked) = entry["blocked"]
            else { return nil }
            var onHand: Int64 = 0
            if case .integer(let given) = entry["onHand"] { onHand = given }
            stock.append(StockLevel(shop: Int(shop), product: product, onHand: onHand, blocked: blocked))
        }
        var heads: SyncCursor?
        if case .string(let text) = body["heads"] {
            guard let cursor = SyncCursor(encoded: text) else { return nil }
            heads = cursor
        }
        return StoreBootstrap(central: central, store: store, shops: shops, stock: stock, heads: heads, users: users, preferences: preferences)
    }

    /// Preferences by name, as central sends them.
    public static func json(_ preferences: [Preference: Int]) -> JSONValue {
        .object(Dictionary(uniqueKeysWithValues: preferences.map { ($0.key.rawValue, JSONValue.integer(Int64($0.value))) }))
    }

    /// What `json(_:)` wrote; unknown names are skipped, so that a newer central can add some.
    public static func parsePreferences(_ value: JSONValue?) -> [Preference: Int]? {
        guard case .object(let entries)? = value else { return nil }
        var preferences: [Preference: Int] = [:]
        for (name, value) in entries {
            guard let preference = Preference(rawValue: name), case .integer(let number) = value else { continue }
            preferences[preference] = Int(number)
        }
        return preferences
    }
}
