import BackroomCore

/// The first contact with a database at start-up: brings the schema up to date, or turns
/// whatever went wrong into one line an operator can act on.
public enum StartupCheck {
    /// Long enough for a database that is still starting, short enough that a wrong address
    /// does not look like a hang.
    public static let patience: Duration = .seconds(15)

    @discardableResult
    public static func migrate(_ storage: any BackroomStorage, location: DatabaseLocation, clock: BackroomClock) async throws -> [Int] {
        do {
            return try await withThrowingTaskGroup(of: [Int]?.self) { group in
                group.addTask {
                    try await storage.checkReachable()
                    return try await storage.migrate()
                }
                group.addTask {
                    try await clock.sleep(for: patience)
                    return nil
                }
                defer { group.cancelAll() }
                guard let applied = try await group.next() ?? nil else {
                    throw StorageError.unreachable("cannot reach the database \(location) within \(patience.components.seconds) s")
                }
                return applied
            }
        } catch let problem as MigrationPlan.Problem {
            throw StorageError.unreachable("database \(location): \(problem)")
        } catch StorageError.unreachable(let reason) {
            throw StorageError.unreachable("cannot reach the database \(location): \(reason)")
        } catch let error as StorageError {
            throw error
        } catch {
            throw StorageError.unreachable("cannot use the database \(location): \(String(reflecting: error))")
        }
    }
}
