import BackroomCore
import ServiceLifecycle

/// The newest schema version this Backroom knows.
public let latestSchemaVersion = Schema.latestVersion

public enum DatabaseKind: String, Sendable {
    case sqlite
    case postgresql
}

/// Everything Backroom keeps, behind one interface with an SQLite and a PostgreSQL
/// implementation; every method is one transaction, and returns only once it is durable.
///
/// As a `Service` it runs for as long as the database is in use (PostgreSQL's connection
/// pool lives in `run()`); `close()` releases it when no service group owns it.
public protocol BackroomStorage: Service {
    var kind: DatabaseKind { get }
    /// How many batches of changes may be written at once: SQLite has one writer.
    var concurrentWriters: Int { get }

    /// The database engine and its version, e.g. `SQLite 3.40.1` or `PostgreSQL 15.18`.
    func databaseVersion() async throws -> String

    /// Fails at once, with the database's own reason, when the database cannot be used at all.
    func checkReachable() async throws

    /// Applies the migrations the database lacks and returns their versions. Safe to run
    /// twice, and from two processes at once.
    @discardableResult
    func migrate() async throws -> [Int]
    func appliedMigrations() async throws -> [Int]

    // MARK: users and credentials

    /// Throws `StorageError.alreadyExists` when the name is taken.
    @discardableResult
    func createUser(_ user: NewUser) async throws -> Int64
    func user(named name: String) async throws -> StoredUser?
    /// Gives an existing user this password hash, rights and shops. Throws `StorageError.unknownUser`.
    func updateUser(_ user: NewUser) async throws
    func addAPIToken(fingerprint: String, userID: Int64) async throws
    func principal(forAPIToken fingerprint: String) async throws -> Principal?
    func createSession(_ session: NewSession) async throws
    /// The session's user and the fingerprint of its XSRF token, while the session is valid.
    func session(fingerprint: String, now: Int64) async throws -> (principal: Principal, xsrfFingerprint: String)?
    func deleteSession(fingerprint: String) async throws

    // MARK: preferences

    func setPreference(_ preference: Preference, value: Int) async throws
    func storedPreference(_ preference: Preference) async throws -> String?

    // MARK: shops, products, stock

    /// Adds the shops that do not exist yet; existing shops are left as they are.
    func addMissingShops(_ shops: [Shop]) async throws
    /// The shops among `ids` that exist, by id.
    func shops(_ ids: [Int]) async throws -> [Shop]
    /// Adds the stock lines whose product is not in that shop yet, each with a `count`
    /// movement from `origin`; existing lines are left as they are. Returns how many were added.
    @discardableResult
    func addMissingStock(_ levels: [StockLevel], origin: ServerKey) async throws -> Int
    /// Sets on hand (recorded as a `count` movement of the difference) and, where given,
    /// blocked, creating products in the shop if new; all or nothing. Throws
    /// `StorageError.unknownShop`.
    func setStock(shop: Int, _ settings: [StockSetting], origin: ServerKey, at now: Int64) async throws
    func stockLevel(shop: Int, product: String) async throws -> StockLevel?
    func shopExists(_ shop: Int) async throws -> Bool
    /// On hand, blocked and what unexpired reservations hold, for the products of `shop`
    /// that exist there; a product named twice is read once.
    func productStock(shop: Int, products: [String], at now: Int64) async throws -> [String: ProductStock]
    /// Records movements arriving at this server for one shop, all or nothing, each under the
    /// next sequence number of `origin`. With an idempotent request, a repeat gets the first
    /// answer, and the same key with another request changes nothing. Throws
    /// `StorageError.unknownShop`.
    func recordMovements(
        shop: Int, _ requests: [MovementRequest], idempotency: IdempotentRequest?, origin: ServerKey, at now: Int64
    ) async throws -> MovementOutcome
    /// The sum of the product's movements in the shop: what on hand must always equal.
    func movementTotal(shop: Int, product: String) async throws -> Int64

    // MARK: reservations

    /// Plans and stores a batch of reservation commands in one transaction, under locks taken
    /// in one global order, and returns one result per command. Throws
    /// `StorageError.lockTimeout` when the locks are not had within the preference
    /// `reservation.lockTimeoutMillis`.
    func applyReservations(_ commands: [ReservationCommand], at now: Int64, origin: ServerKey) async throws -> [ReservationResult]
    func reservation(id: Int64) async throws -> Reservation?

    // MARK: sync

    /// Movements that arose on this server under `origin` after `sequence`, oldest first.
    func ownMovements(origin: ServerKey, after sequence: Int64, limit: Int) async throws -> [ReplicatedMovement]
    /// The movements of `shops` from every origin but `store`'s past `cursor`, each origin's in
    /// its order, looking at no more than `limit` movements (by each origin's index, so a pull
    /// costs what is new, however long the history).
    /// `shops` nil means every shop and `store` nil no origin left out (the ERP export).
    func movements(forShops shops: [Int]?, except store: ServerKey?, after cursor: SyncCursor, limit: Int) async throws -> SyncPage
    /// How many movements of `shops` from origins other than `store`'s lie past `cursor`.
    func countMovements(forShops shops: [Int], except store: ServerKey, after cursor: SyncCursor) async throws -> Int
    /// Applies movements that arose elsewhere, each at most once ever (by origin and sequence),
    /// adding the shops and stock lines they need; `state`, when given, is stored in the same
    /// transaction, and so are `figures` from central (replacing what was known). Returns how
    /// many movements were new.
    @discardableResult
    func applyReplicated(
        _ movements: [ReplicatedMovement], recording state: (key: SyncStateKey, value: String)?, figures: CentralFigures?
    ) async throws -> Int
    /// What is reserved at `now` of every product of `shops` that has anything reserved.
    func reservedQuantities(shops: [Int], at now: Int64) async throws -> [ProductKey: Int64]
    /// What is blocked of every product of `shops` that has anything blocked.
    func blockedQuantities(shops: [Int]) async throws -> [ProductKey: Int64]
    /// On a store: what central last said it holds reserved of these products of `shop`.
    func centralReserved(shop: Int, products: [String]) async throws -> [String: Int64]
    /// The highest sequence held from `origin`, 0 for none.
    func highestSequence(of origin: ServerKey) async throws -> Int64
    /// A value the sync link keeps between runs (e.g. its cursor), by name.
    func syncState(_ key: SyncStateKey) async throws -> String?
    /// Writes nothing when `value` is what is stored already: every store's exchange, once a
    /// second, sets its cursor and backlog on central, on the writer reservations use.
    func setSyncState(_ key: SyncStateKey, _ value: String) async throws
    /// Sets the value only if it is still `expected` (nil: not set yet); returns whether it did.
    /// Two writers that both read the same value cannot both go on from it.
    func replaceSyncState(_ key: SyncStateKey, expected: String?, with value: String) async throws -> Bool
    /// Every stock line of `shops`.
    func stockLines(shops: [Int]) async throws -> [StockLevel]
    /// Every user with a password, for a store to sign its tills' users in while offline. Read
    /// at every store's pull, so in a fixed number of statements however many users there are.
    func allUsers() async throws -> [StoredUser]

    // MARK: sync engine

    /// The engine's connections by id; removed ones only with `includeDeleted`.
    func syncConnections(includeDeleted: Bool) async throws -> [SyncConnection]
    func syncConnection(id: Int64) async throws -> SyncConnection?
    /// Throws `StorageError.alreadyExists` when the connector has a connection of that name.
    @discardableResult
    func addSyncConnection(_ connection: NewSyncConnection) async throws -> SyncConnection
    /// The connection after the change; nil for an unknown or removed id.
    func setSyncConnection(id: Int64, active: Bool) async throws -> SyncConnection?
    /// Marks the connection removed (it keeps its id and history); false for an unknown id.
    func removeSyncConnection(id: Int64) async throws -> Bool
    /// Notes a visit of the engine: success clears the last error, a failure keeps its text.
    func recordVisit(connection id: Int64, at now: Int64, error: String?) async throws
    /// Applies a file from the ERP whole, at most once per `key` and connection: products
    /// (names updated), stock counts (the difference as a `count` movement) and goods received
    /// (`receipt` movements), adding stock lines where new, all in one transaction that also
    /// notes the key. Returns false when the key was imported before. Throws
    /// `StorageError.unknownShop`.
    func importErpFile(_ file: ErpImport, connection id: Int64, key: String, origin: ServerKey, at now: Int64) async throws -> Bool
    /// Takes or renews the lease `name` for `holder` until `until`, if it is free, expired at
    /// `now`, or already the holder's; returns whether the holder has it.
    func holdLease(_ name: String, holder: String, until: Int64, now: Int64) async throws -> Bool
    /// Gives the lease up at once, if the holder has it, so that another process takes over.
    func releaseLease(_ name: String, holder: String) async throws

    // MARK: server registry

    /// Throws `StorageError.alreadyExists` when the key is taken.
    func registerServer(_ server: ServerRegistration, tokenFingerprint: String?) async throws
    func server(key: ServerKey) async throws -> StoredServer?
    /// Every registered server, by key.
    func servers() async throws -> [StoredServer]
    /// The server whose sync token has this fingerprint.
    func server(tokenFingerprint: String) async throws -> StoredServer?
    /// Stores what is now known of a server's status, written `at`; a reason, when given, is
    /// kept as its offline log (at most `StoredServer.offlineLogLimit` characters). Unknown keys
    /// are ignored.
    func recordServerStatus(_ key: ServerKey, _ status: ServerStatus, at: Int64, reason: String?) async throws
    /// Notes when central last pinged the server.
    func recordPing(_ key: ServerKey, at: Int64) async throws

    func close() async throws
}

public struct NewUser: Sendable {
    public let name: String
    public let passwordHash: String
    public let rights: Set<Right>
    public let shops: Set<Int>

    public init(name: String, passwordHash: String, rights: Set<Right>, shops: Set<Int>) {
        self.name = name
        self.passwordHash = passwordHash
        self.rights = rights
        self.shops = shops
    }
}

public struct StoredUser: Sendable {
    public let principal: Principal
    public let passwordHash: String
}

public struct NewSession: Sendable {
    public let fingerprint: String
    public let xsrfFingerprint: String
    public let userID: Int64
    public let expiresAt: Int64

    public init(fingerprint: String, xsrfFingerprint: String, userID: Int64, expiresAt: Int64) {
        self.fingerprint = fingerprint
        self.xsrfFingerprint = xsrfFingerprint
        self.userID = userID
        self.expiresAt = expiresAt
    }
}

public enum MovementOutcome: Sendable, Equatable {
    case recorded([RecordedMovement])
    /// Products without a stock line in the shop; nothing was recorded.
    case unknownProducts([String])
    case idempotencyKeyReused
}

/// Which registered servers a look-up wants.
enum ServerFilter {
    case key(ServerKey)
    case tokenFingerprint(String)
}

public struct StoredServer: Sendable, Equatable {
    public static let offlineLogLimit = 2000

    public let registration: ServerRegistration
    public let status: ServerStatus
    /// When `status` was last written, milliseconds since 1970.
    public let updatedAt: Int64?
    public let lastPing: Int64?
    /// Why it last went offline.
    public let offlineLog: String?
    public let tokenFingerprint: String?

    /// What the status service needs of it.
    public var statusEntry: StatusLookup.Entry {
        StatusLookup.Entry(status: status, updatedAt: updatedAt, url: registration.url, offlineLog: offlineLog)
    }

    static func clippedReason(_ reason: String?) -> String? {
        reason.map { String($0.prefix(offlineLogLimit)) }
    }
}

public enum StorageError: Error, Equatable, CustomStringConvertible {
    case alreadyExists(String)
    case unknownShop(Int)
    case unknownUser(String)
    case unreachable(String)
    /// Another writer held what a change had to lock for longer than it may wait.
    case lockTimeout

    public var description: String {
        switch self {
        case .alreadyExists(let what): "\(what) already exists"
        case .unknownShop(let shop): "no shop \(shop)"
        case .unknownUser(let name): "no user '\(name)'"
        case .unreachable(let reason): reason
        case .lockTimeout: "could not get the database locks in time"
        }
    }
}
