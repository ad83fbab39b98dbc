import BackroomCore
import ServiceLifecycle

/// The newest schema version this Backroom knows.
public let latestSchemaVersion = Schema.latestVersion

public enum DatabaseKind: String, Sendable {
    case sqlite
    case postgresql
}

/// Everything Backroom keeps: one implementation per database serves every feature's store, so
/// that the composition root opens the database once; each consumer is given only the stores
/// of its feature (`IdentityStore`, `StockStore`, …).
public typealias BackroomStorage = Database & IdentityStore & PreferenceStore & StockStore & ReservationStore & ReplicationStore & RetentionStore
    & SyncStateStore & EngineStore & ServerRegistryStore & AuditStore

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
    /// A disabled user signs in nowhere, by no credential, until enabled again.
    public var disabled = false
}

/// A movement as this server's database numbers it (`id`, what `ForceResync` calls an internal
/// key), with what it is everywhere.
public struct ListedMovement: Sendable, Equatable {
    public let id: Int64
    public let movement: ReplicatedMovement

    public init(id: Int64, movement: ReplicatedMovement) {
        self.id = id
        self.movement = movement
    }
}

/// A user as the admin API lists it: no password hash.
public struct ListedUser: Sendable, Equatable {
    public let principal: Principal
    public let disabled: Bool
    public let createdAt: Int64

    public init(principal: Principal, disabled: Bool, createdAt: Int64) {
        self.principal = principal
        self.disabled = disabled
        self.createdAt = createdAt
    }
}

/// An API token as the admin API lists it: its fingerprint stands for it; the token itself is
/// never stored.
public struct ListedToken: Sendable, Equatable {
    public let fingerprint: String
    public let user: String
    public let createdAt: Int64
    public let lastUsedAt: Int64?

    public init(fingerprint: String, user: String, createdAt: Int64, lastUsedAt: Int64?) {
        self.fingerprint = fingerprint
        self.user = user
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
    }

    /// How the admin API names a token: the first 16 hex digits of its fingerprint.
    public var id: String { String(fingerprint.prefix(Self.idLength)) }
    public static let idLength = 16
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
    /// What it runs, as its last call to this server said; nil before it said.
    public let software: PeerSoftware?

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
    /// A row of this table holds what Backroom cannot read (a value no version wrote): the
    /// request fails rather than answer as if the row were not there.
    case unreadableRow(String)
    /// A change would take a stock line's on hand or blocked beyond `StockLevel.onHandBounds`;
    /// the database refused it and nothing of the transaction was kept.
    case stockOutOfBounds

    /// Names the bounds check to both databases: SQLite's trigger raises it as its message,
    /// PostgreSQL's trigger names it as the constraint it enforces.
    static let stockBoundsCheck = "stock_within_bounds"

    public var description: String {
        switch self {
        case .alreadyExists(let what): "\(what) already exists"
        case .unknownShop(let shop): "no shop \(shop)"
        case .unknownUser(let name): "no user '\(name)'"
        case .unreachable(let reason): reason
        case .lockTimeout: "could not get the database locks in time"
        case .unreadableRow(let table): "a row of \(table) cannot be read"
        case .stockOutOfBounds:
            "on hand must stay from \(StockLevel.onHandBounds.lowerBound) to \(StockLevel.onHandBounds.upperBound) and blocked from 0 to \(StockLevel.onHandBounds.upperBound)"
        }
    }
}
