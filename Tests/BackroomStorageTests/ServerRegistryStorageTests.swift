import BackroomCore
import BackroomStorage
import BackroomTestSupport
import Testing

struct ServerRegistryStorageTests {
    static let norte = ServerRegistration(
        key: try! ServerKey("NORTE"),
        name: "Norte",
        type: .store,
        url: "http://10.0.0.2:8080",
        shops: [10040, 10030]
    )
    static let sur = ServerRegistration(key: try! ServerKey("SUR"), name: "Sur", type: .store, url: nil, shops: [])

    @Test(arguments: TestDatabase.allCases)
    func everyServerIsListedByKeyWithItsShops(_ database: TestDatabase) async throws {
        try await database.withStorage { storage, _ async throws in
            try await storage.registerServer(Self.sur, tokenFingerprint: nil)
            try await storage.registerServer(Self.norte, tokenFingerprint: "abc")
            let servers = try await storage.servers()
            #expect(servers.map(\.registration.key.value) == ["NORTE", "SUR"])
            #expect(servers[0].registration.shops == [10030, 10040])
            #expect(servers[1].registration.url == nil)
            #expect(servers.allSatisfy { $0.status == .offline && $0.updatedAt == nil && $0.offlineLog == nil })
            #expect(try await storage.server(tokenFingerprint: "abc")?.registration.key == Self.norte.key)
            #expect(try await storage.server(tokenFingerprint: "xyz") == nil)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aRecordedStatusKeepsTheLastReasonItWentOffline(_ database: TestDatabase) async throws {
        try await database.withStorage { storage, _ async throws in
            try await storage.registerServer(Self.norte, tokenFingerprint: nil)
            try await storage.recordServerStatus(Self.norte.key, .offline, at: 1000, reason: String(repeating: "x", count: 5000))
            var stored = try #require(try await storage.server(key: Self.norte.key))
            #expect(stored.status == .offline && stored.updatedAt == 1000)
            #expect(stored.offlineLog?.count == StoredServer.offlineLogLimit)

            try await storage.recordServerStatus(Self.norte.key, .transitionToOnline, at: 2000, reason: nil)
            stored = try #require(try await storage.server(key: Self.norte.key))
            #expect(stored.status == .transitionToOnline && stored.updatedAt == 2000)
            #expect(stored.offlineLog?.count == StoredServer.offlineLogLimit)

            try await storage.recordServerStatus(try ServerKey("NOBODY"), .online, at: 3000, reason: nil)
            #expect(try await storage.servers().count == 1)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func onlyChangesOfStatusMakeTheHistoryAndOldOnesAreForgotten(_ database: TestDatabase) async throws {
        try await database.withStorage { storage, _ async throws in
            try await storage.registerServer(Self.norte, tokenFingerprint: nil)
            try await storage.registerServer(Self.sur, tokenFingerprint: nil)
            try await storage.recordServerStatus(Self.norte.key, .offline, at: 500, reason: "not the first: it was OFF already")
            try await storage.recordServerStatus(Self.norte.key, .online, at: 1000, reason: nil)
            try await storage.recordServerStatus(Self.norte.key, .online, at: 2000, reason: nil)
            try await storage.recordServerStatus(Self.norte.key, .transitionToOffline, at: 3000, reason: "connection refused")
            try await storage.recordServerStatus(Self.sur.key, .online, at: 3500, reason: nil)
            try await storage.recordServerStatus(Self.norte.key, .offline, at: 4000, reason: "connection refused")
            #expect(
                try await storage.statusHistory(key: Self.norte.key, limit: 10) == [
                    StatusChange(at: 4000, status: .offline, reason: "connection refused"),
                    StatusChange(at: 3000, status: .transitionToOffline, reason: "connection refused"),
                    StatusChange(at: 1000, status: .online, reason: nil),
                ]
            )
            #expect(try await storage.statusHistory(key: Self.norte.key, limit: 1).map(\.at) == [4000])
            #expect(try await storage.lastStatusChanges() == [Self.norte.key: 4000, Self.sur.key: 3500])

            let muchLater = 3000 + StatusChange.retentionMillis + 1
            try await storage.recordServerStatus(Self.norte.key, .online, at: muchLater, reason: nil)
            #expect(try await storage.statusHistory(key: Self.norte.key, limit: 10).map(\.at) == [muchLater, 4000], "1000 and 3000 are past keeping")
            #expect(try await storage.statusHistory(key: Self.sur.key, limit: 10).map(\.at) == [3500], "another server's history is its own")

            _ = try await storage.removeServer(key: Self.norte.key)
            #expect(try await storage.statusHistory(key: Self.norte.key, limit: 10).isEmpty)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aKeyIsRegisteredOnce(_ database: TestDatabase) async throws {
        try await database.withStorage { storage, _ async throws in
            let norte = ServerRegistration(key: try ServerKey("NORTE"), name: "Norte", type: .store, url: "http://10.0.0.2:8080", shops: [10030])
            try await storage.registerServer(norte, tokenFingerprint: "abc")
            await #expect(throws: StorageError.alreadyExists("server 'NORTE'")) {
                try await storage.registerServer(norte, tokenFingerprint: "def")
            }
            let stored = try #require(try await storage.server(key: norte.key))
            #expect(stored.registration == norte)
            #expect(stored.status == .offline)
            #expect(stored.tokenFingerprint == "abc")
        }
    }
}

struct UnreadableRowTests {
    /// A row Backroom cannot read fails the request instead of vanishing from the answer.
    @Test(arguments: TestDatabase.allCases)
    func aRowThatCannotBeReadFailsLoudly(_ database: TestDatabase) async throws {
        try await database.withStorage { storage, fresh async throws in
            try await fresh.executeRaw("INSERT INTO servers (key, name, type, status) VALUES ('ODD', 'Odd', 'store', 'MAYBE')")
            await #expect(throws: StorageError.unreadableRow("servers")) { try await storage.servers() }
            await #expect(throws: StorageError.unreadableRow("servers")) { try await storage.server(key: try ServerKey("ODD")) }
        }
    }
}
