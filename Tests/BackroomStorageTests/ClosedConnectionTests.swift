import BackroomCore
import BackroomTestSupport
import Foundation
import Synchronization
import Testing

@testable import BackroomStorage

/// Connections ended under a running pool: every call is answered, with its result or as the
/// database being unavailable, never left waiting (PostgresNIO does not answer a query written
/// to a connection that has just closed; `CheckedPostgresClient`).
struct ClosedConnectionTests {
    @Test func callsOnConnectionsEndedUnderThemAreAnsweredNeverLeftWaiting() async throws {
        try await TestDatabase.postgresql.withFresh { fresh async throws in
            guard case .postgres(let location) = try fresh.location else { return }
            let storage = PostgresStorage(location: location, clock: .system, logger: TestLogger.quiet)
            let calls = Calls()
            let (answered, unanswered) = try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await storage.run() }
                defer { group.cancelAll() }
                _ = try await storage.migrate()
                return try await withThrowingTaskGroup(of: (Int, Int).self) { callers in
                    for caller in 0..<8 {
                        callers.addTask {
                            var answered = 0
                            var unanswered = 0
                            for round in 0..<150 {
                                do {
                                    try await DatabaseDeadline.within(.seconds(15), on: .system) {
                                        try await storage.setSyncState(.peerWaiting(try ServerKey("S\(caller)")), "\(round)")
                                        _ = try await storage.syncState(.peerWaiting(try ServerKey("S\(caller)")))
                                    }
                                    answered += 1
                                    calls.count.add(1, ordering: .relaxed)
                                } catch let error as StorageError where "\(error)".contains("did not answer") {
                                    unanswered += 1
                                } catch {
                                    #expect(StorageError.isUnavailability(error), "\(error)")
                                }
                            }
                            return (answered, unanswered)
                        }
                    }
                    callers.addTask {
                        for _ in 0..<40 {
                            try await TestPostgres.administer(
                                try TestPostgres.serverURL(),
                                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '\(storage.applicationName)'"
                            )
                            // The next kill once the callers have got on with their work.
                            let before = calls.count.load(ordering: .relaxed)
                            _ = await Poll.until(every: .milliseconds(5)) { calls.count.load(ordering: .relaxed) >= before + 4 }
                        }
                        return (0, 0)
                    }
                    return try await callers.reduce((0, 0)) { ($0.0 + $1.0, $0.1 + $1.1) }
                }
            }
            #expect(unanswered == 0, "calls left waiting for their deadline")
            #expect(answered > 0)
        }
    }
}

/// Calls answered so far, across the callers.
private final class Calls: Sendable {
    let count = Atomic(0)
}
