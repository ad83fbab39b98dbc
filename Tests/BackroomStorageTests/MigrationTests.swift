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

    @Test(arguments: TestDatabase.allCases)
    func twoProcessesMigratingAtOnceBothSucceedAndApplyOnce(_ database: TestDatabase) async throws {
        try await database.withFresh { fresh async throws in
        let applied = try await withThrowingTaskGroup(of: [Int].self) { group in
            for _ in 0..<4 {
                group.addTask {
                    let storage = try StorageFactory.open(try fresh.location, logger: TestLogger.quiet)
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

    @Test(arguments: TestDatabase.allCases)
    func versionIsReported(_ database: TestDatabase) async throws {
        try await database.withStorage { storage, _ async throws in
            let version = try await storage.databaseVersion()
            #expect(version.hasPrefix(database == .sqlite ? "SQLite 3." : "PostgreSQL 15."))
            #expect(storage.kind.rawValue == database.rawValue)
        }
    }
}
