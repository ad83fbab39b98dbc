import BackroomCore
import BackroomStorage
import BackroomTestSupport
import Testing

@Suite(.serialized)
struct MigrationTests {
    static let all = Array(1...latestSchemaVersion)

    @Test(arguments: TestDatabase.allCases)
    func migratingTwiceAppliesNothingTheSecondTime(_ database: TestDatabase) async throws {
        try await database.withStorage { storage, _ async throws in
            #expect(try await storage.appliedMigrations() == Self.all)
            #expect(try await storage.migrate() == [])
            #expect(try await storage.appliedMigrations() == Self.all)
        }
    }

    /// Migration 29 builds its index online on PostgreSQL (outside a transaction, writes going
    /// on); one whose build a crash cut short, left invalid, is built again at the next start.
    @Test func anIndexBuiltOnlineIsValidAndAnInvalidOneIsBuiltAgain() async throws {
        try await TestDatabase.postgresql.withStorage { storage, fresh async throws in
            let valid = "SELECT COUNT(*) FROM pg_index WHERE indexrelid = 'movements_by_shop'::regclass AND indisvalid"
            #expect(try await fresh.number(valid) == 1)
            // What a build cut short leaves: the index, invalid, and the migration not recorded.
            try await fresh.executeRaw("UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'movements_by_shop'::regclass")
            try await fresh.executeRaw("DELETE FROM schema_migrations WHERE version = 29")
            #expect(try await storage.migrate() == [29])
            #expect(try await fresh.number(valid) == 1)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func twoProcessesMigratingAtOnceBothSucceedAndApplyOnce(_ database: TestDatabase) async throws {
        try await database.withFresh { fresh async throws in
            let applied = try await withThrowingTaskGroup(of: [Int].self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        let storage = try StorageFactory.open(try fresh.location, clock: .system, logger: TestLogger.quiet)
                        return try await withThrowingTaskGroup(of: Void.self) { inner in
                            inner.addTask { try await storage.run() }
                            defer { inner.cancelAll() }
                            return try await storage.migrate()
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(applied.filter { $0 == Self.all }.count == 1)
            #expect(applied.filter { $0 == [] }.count == 3)
            try await fresh.withStorage { storage, _ async throws in
                #expect(try await storage.appliedMigrations() == Self.all)
            }
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aDatabaseFromANewerBackroomIsRefused(_ database: TestDatabase) async throws {
        try await database.withStorage { storage, fresh async throws in
            try await fresh.executeRaw("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 0)")
            await #expect(throws: MigrationPlan.Problem.databaseIsNewer(unknownVersions: [999])) {
                try await storage.migrate()
            }
        }
    }

    /// The offline wait was stored in minutes and the read time-out in seconds: a database from
    /// before keeps what its operator meant, in the original's units.
    @Test(arguments: TestDatabase.allCases)
    func preferencesStoredInTheOldUnitsAreConverted(_ database: TestDatabase) async throws {
        try await database.withStorage { storage, fresh async throws in
            try await fresh.executeRaw("DELETE FROM schema_migrations WHERE version = 11")
            try await fresh.executeRaw(
                "INSERT INTO preferences (name, value, updated_at) VALUES ('OBMOBC_TransitionToOfflineWait', '7', 0), ('OBMOBC_READ_TIMEOUT_REQUEST', '90', 0), ('OBMOBC_Ping_Periodicity', '30', 0)"
            )
            #expect(try await storage.migrate() == [11])
            #expect(try await storage.storedPreference(.transitionToOfflineWait) == "420000")
            #expect(try await storage.storedPreference(.readTimeout) == "2")
            #expect(try await storage.storedPreference(.pingPeriodicity) == "30")
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func versionIsReported(_ database: TestDatabase) async throws {
        try await database.withStorage { storage, _ async throws in
            let version = try await storage.databaseVersion()
            #expect(version.hasPrefix(database == .sqlite ? "SQLite 3." : "PostgreSQL 15."))
            #expect(storage.kind.rawValue == database.rawValue)
        }
    }
}
