import BackroomStorage
import BackroomTestSupport
import Testing

struct ConnectionUseTests {
    @Test(arguments: TestDatabase.allCases)
    func theProcessCountsItsOwnConnectionsOnly(_ database: TestDatabase) async throws {
        try await database.withStorage { storage, _ async throws in
            _ = try await storage.servers()
            let use = try await storage.connectionUse()
            switch database {
            case .sqlite: #expect(use.open == 5, "a writer and four readers")
            case .postgresql: #expect(use.open >= 1 && use.open <= 20, "the pool's, not the whole server's")
            }
            #expect(use.inUse >= 0 && use.inUse <= use.open)
            #expect(use.inUse == 0 || database == .postgresql, "nothing else runs in this test")
        }
    }
}
