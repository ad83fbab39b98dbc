import BackroomCore

/// What a round does with one kind of connection.
public protocol SyncConnector: Sendable {
    /// One visit: moves what waits and says how many changes moved. Throws when the visit
    /// failed as a whole; a problem that did not stop it (one bad file) is in the outcome.
    func visit(_ connection: SyncConnection) async throws -> VisitOutcome
    /// Whether the connection could be visited now, without moving anything.
    func test(_ connection: SyncConnection) async -> Bool
    /// What the world outside says against the connection's settings (a folder that is not
    /// there, a store that is not registered); nil when nothing.
    func problem(with connection: SyncConnection) async -> ConnectorSettingProblem?
    /// `ForceResync`: makes the connection start over, everything or only the movements `ids`,
    /// and says what will happen.
    func resync(_ connection: SyncConnection, ids: [Int64]) async throws -> ErpText
    /// How far the connection has the movements it reads, which retention must not delete
    /// before it does (`MovementRetention`); nil when it holds none back.
    func consumer(of connection: SyncConnection, under policy: RetentionPolicy, at now: Int64) async throws -> MovementRetention.Consumer?
}

public struct VisitOutcome: Sendable, Equatable {
    public let changes: Int
    public let problem: String?
    /// When the connection asks to be visited again, sooner than the next round (a delivery
    /// that failed and backs off).
    public let retryAt: Int64?

    public init(changes: Int, problem: String? = nil, retryAt: Int64? = nil) {
        self.changes = changes
        self.problem = problem
        self.retryAt = retryAt
    }
}
