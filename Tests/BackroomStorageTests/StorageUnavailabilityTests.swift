import BackroomCore
import BackroomStorage
import BackroomTestSupport
import Foundation
import Testing

/// Which failures say "the database cannot be used for now" (answered 503, to be tried again).
struct StorageUnavailabilityTests {
    @Test func aServerThatTakesNoWritesIsUnavailabilityUntilItDoes() async throws {
        try await TestDatabase.postgresql.withFresh { fresh async throws in
            try await fresh.withStorage { storage, _ async throws in
                try await storage.setSyncState(.linkState, "before")
                let name = try #require(URL(string: fresh.url)?.path.dropFirst())
                let endSessions = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(name)' AND pid <> pg_backend_pid()"
                // What a standby is to a client, and what a stopping primary does to its connections.
                try await fresh.executeRaw("ALTER DATABASE \"\(name)\" SET default_transaction_read_only = on")
                try await fresh.executeRaw(endSessions)
                await #expect(throws: (any Error).self) { try await storage.setSyncState(.linkState, "during") }
                do {
                    try await storage.setSyncState(.linkState, "during")
                    Issue.record("a read-only server took a write")
                } catch {
                    #expect(StorageError.isUnavailability(error), "\(error)")
                }
                // From another database: this one's sessions, the administrator's too, take no writes now.
                try await TestPostgres.administer(try TestPostgres.serverURL(), "ALTER DATABASE \"\(name)\" RESET default_transaction_read_only")
                try await fresh.executeRaw(endSessions)
                var written = false
                for _ in 0..<5 where !written {
                    written = (try? await storage.setSyncState(.linkState, "after")) != nil
                }
                let value = try await storage.syncState(.linkState)
                #expect(written && value == "after", "writes again on new connections")
            }
        }
    }

    @Test func whatIsAboutTheRequestIsNotUnavailability() {
        #expect(!StorageError.isUnavailability(StorageError.unknownShop(1)))
        #expect(!StorageError.isUnavailability(StorageError.lockTimeout))
        #expect(!StorageError.isUnavailability(CancellationError()))
        #expect(StorageError.isUnavailability(StorageError.unreachable("connection refused")))
    }
}
