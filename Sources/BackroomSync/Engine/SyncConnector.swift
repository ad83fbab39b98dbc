import BackroomCore

/// What a round does with one kind of connection.
public protocol SyncConnector: Sendable {
    /// One visit: moves what waits and says how many changes moved. Throws when the visit
    /// failed as a whole; a problem that did not stop it (one bad file) is in the outcome.
    func visit(_ connection: SyncConnection) async throws -> VisitOutcome
    /// Whether the connection could be visited now, without moving anything.
    func test(_ connection: SyncConnection) async -> Bool
}

public struct VisitOutcome: Sendable, Equatable {
    public let changes: Int
    public let problem: String?

    public init(changes: Int, problem: String? = nil) {
        self.changes = changes
        self.problem = problem
    }
}
