import BackroomCore
import BackroomStorage
import BackroomTestSupport
import Foundation
import Testing

/// Which failures say "the database cannot be used for now" (answered 503, to be tried again).
struct StorageUnavailabilityTests {
    @Test func aServerThatTakesNoWritesIsUnavailabilityUntilItDoes() async throws {
        try await TestDatabase.postgresql.withFresh { fresh async throws in
            try await fresh.withStorage { storage, _ async throws in try await storage.setSyncState(.linkState, "before") }
            let name = try #require(URL(string: fresh.url)?.path.dropFirst())
            // What a standby is to a client. (Sessions already open keep writing; a new storage's do not.)
            try await fresh.executeRaw("ALTER DATABASE \"\(name)\" SET default_transaction_read_only = on")
            try await Self.withUnmigratedStorage(fresh) { storage async throws in
                do {
                    try await storage.setSyncState(.linkState, "during")
                    Issue.record("a read-only server took a write")
                } catch {
                    #expect(StorageError.isUnavailability(error), "\(error)")
                }
                #expect(try await storage.syncState(.linkState) == "before", "reads go on")
            }
            // From another database: this one's sessions, the administrator's too, take no writes now.
            try await TestPostgres.administer(try TestPostgres.serverURL(), "ALTER DATABASE \"\(name)\" RESET default_transaction_read_only")
            try await Self.withUnmigratedStorage(fresh) { storage async throws in
                try await storage.setSyncState(.linkState, "after")
                #expect(try await storage.syncState(.linkState) == "after", "writes again")
            }
        }
    }

    /// A storage on the database as it is, without migrating it (which would write).
    static func withUnmigratedStorage(_ fresh: FreshDatabase, _ body: @Sendable (any BackroomStorage) async throws -> Void) async throws {
        let storage = try StorageFactory.open(try fresh.location, clock: .system, logger: TestLogger.quiet)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await storage.run() }
            defer { group.cancelAll() }
            try await body(storage)
        }
    }

    @Test func whatIsAboutTheRequestIsNotUnavailability() {
        #expect(!StorageError.isUnavailability(StorageError.unknownShop(1)))
        #expect(!StorageError.isUnavailability(StorageError.lockTimeout))
        #expect(!StorageError.isUnavailability(CancellationError()))
        #expect(StorageError.isUnavailability(StorageError.unreachable("connection refused")))
    }
}
