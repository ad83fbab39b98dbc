import BackroomCore
import BackroomSecurity

/// Loads the contract's demo data. Idempotent: what exists already (a user, a server, a
/// product's stock line) is left exactly as it is, so `serve --demo` on every restart never
/// undoes sales or password changes.
public enum DemoLoader {
    public struct Outcome: Sendable, Equatable {
        public let stockLinesAdded: Int
        public let usersAdded: [String]
        public let serversAdded: [String]
    }

    /// A test suite starting hundreds of servers passes a `hashPassword` that hashes each demo
    /// password once for the whole run, and a fraction of the load-test products: hashing and
    /// 10,000 products for every server kept the machine's two cores busy for a minute.
    @discardableResult
    public static func load(
        into storage: any BackroomStorage,
        origin: ServerKey,
        stock: [StockLevel] = DemoData.stock,
        hashPassword: @Sendable (String) async throws -> String = PasswordHasher.hash
    ) async throws -> Outcome {
        try await storage.addMissingShops(DemoData.shops)
        let stockLinesAdded = try await storage.addMissingStock(stock, origin: origin)
        var usersAdded: [String] = []
        for user in DemoData.users where try await storage.user(named: user.name) == nil {
            let hash = try await hashPassword(user.password)
            do {
                try await storage.createUser(NewUser(name: user.name, passwordHash: hash, rights: user.rights, shops: user.shops))
                usersAdded.append(user.name)
            } catch StorageError.alreadyExists {
                // Another process loading the demo at the same time got there first.
            }
        }
        var serversAdded: [String] = []
        for (registration, token) in DemoData.servers where try await storage.server(key: registration.key) == nil {
            do {
                try await storage.registerServer(registration, tokenFingerprint: token.map(SecretToken.fingerprint))
                serversAdded.append(registration.key.value)
            } catch StorageError.alreadyExists {}
        }
        return Outcome(stockLinesAdded: stockLinesAdded, usersAdded: usersAdded, serversAdded: serversAdded)
    }
}
