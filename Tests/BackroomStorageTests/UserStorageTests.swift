import BackroomCore
import BackroomStorage
import BackroomTestSupport
import Testing

struct UserStorageTests {
    static let clerk = NewUser(name: "tje0", passwordHash: "$2b$10$notarealhash", rights: [.reservation, .atp], shops: [10010, 10020])

    @Test(arguments: TestDatabase.allCases)
    func aUserIsReadBackWithRightsAndShops(_ database: TestDatabase) async throws {
        try await database.withStorage { storage, _ async throws in
            let id = try await storage.createUser(Self.clerk)
            let stored = try #require(try await storage.user(named: "tje0"))
            #expect(stored.passwordHash == Self.clerk.passwordHash)
            #expect(stored.principal == Principal(userID: id, name: "tje0", rights: [.reservation, .atp], shops: [10010, 10020]))
            #expect(try await storage.user(named: "nobody") == nil)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func anUpdateReplacesHashRightsAndShops(_ database: TestDatabase) async throws {
        try await database.withStorage { storage, _ async throws in
            let id = try await storage.createUser(Self.clerk)
            let changed = NewUser(name: "tje0", passwordHash: "$2b$10$another", rights: [.stock], shops: [10030])
            try await storage.updateUser(changed)
            let stored = try #require(try await storage.user(named: "tje0"))
            #expect(stored.passwordHash == "$2b$10$another")
            #expect(stored.principal == Principal(userID: id, name: "tje0", rights: [.stock], shops: [10030]))
            await #expect(throws: StorageError.unknownUser("nobody")) {
                try await storage.updateUser(NewUser(name: "nobody", passwordHash: "x", rights: [], shops: []))
            }
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func everyUserIsListedByNameWithOwnRightsAndShops(_ database: TestDatabase) async throws {
        try await database.withStorage { storage, _ async throws in
            let clerk = try await storage.createUser(Self.clerk)
            let admin = try await storage.createUser(NewUser(name: "admin", passwordHash: "$2b$10$admin", rights: [.admin], shops: []))
            let idle = try await storage.createUser(NewUser(name: "zed", passwordHash: "$2b$10$zed", rights: [], shops: [10030]))
            let users = try await storage.allUsers()
            #expect(
                users.map(\.principal) == [
                    Principal(userID: admin, name: "admin", rights: [.admin], shops: []),
                    Principal(userID: clerk, name: "tje0", rights: [.reservation, .atp], shops: [10010, 10020]),
                    Principal(userID: idle, name: "zed", rights: [], shops: [10030]),
                ]
            )
            #expect(users.map(\.passwordHash) == ["$2b$10$admin", Self.clerk.passwordHash, "$2b$10$zed"])
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aNameIsTakenOnce(_ database: TestDatabase) async throws {
        try await database.withStorage { storage, _ async throws in
            try await storage.createUser(Self.clerk)
            await #expect(throws: StorageError.alreadyExists("user 'tje0'")) {
                try await storage.createUser(Self.clerk)
            }
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func apiTokensAreFoundByFingerprint(_ database: TestDatabase) async throws {
        try await database.withStorage { storage, _ async throws in
            let id = try await storage.createUser(Self.clerk)
            try await storage.addAPIToken(fingerprint: "f1", userID: id)
            #expect(try await storage.principal(forAPIToken: "f1")?.name == "tje0")
            #expect(try await storage.principal(forAPIToken: "f2") == nil)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func sessionsLastUntilTheyExpireOrAreDeleted(_ database: TestDatabase) async throws {
        try await database.withStorage { storage, _ async throws in
            let id = try await storage.createUser(Self.clerk)
            try await storage.createSession(NewSession(fingerprint: "s1", xsrfFingerprint: "x1", userID: id, expiresAt: 2_000))
            let valid = try await storage.session(fingerprint: "s1", now: 1_999)
            #expect(valid?.principal.name == "tje0")
            #expect(valid?.xsrfFingerprint == "x1")
            #expect(try await storage.session(fingerprint: "s1", now: 2_000) == nil)

            try await storage.createSession(NewSession(fingerprint: "s2", xsrfFingerprint: "x2", userID: id, expiresAt: .max))
            try await storage.deleteSession(fingerprint: "s2")
            #expect(try await storage.session(fingerprint: "s2", now: 0) == nil)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func preferencesAreStoredAndOverwritten(_ database: TestDatabase) async throws {
        try await database.withStorage { storage, _ async throws in
            #expect(try await storage.storedPreference(.pingPeriodicity) == nil)
            try await storage.setPreference(.pingPeriodicity, value: 60)
            try await storage.setPreference(.pingPeriodicity, value: 30)
            #expect(try await storage.storedPreference(.pingPeriodicity) == "30")
        }
    }
}
