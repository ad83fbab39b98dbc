import BackroomCore
import BackroomStorage
import BackroomTestSupport
import Testing

struct AuditStorageTests {
    static func entry(at: Int64, action: String) -> AuditEntry {
        .new(at: at, actor: "admin", channel: .api, origin: "127.0.0.1", action: action, target: "t", detail: .object([:]))
    }

    @Test(arguments: TestDatabase.allCases)
    func entriesArePagedNewestFirstAndDroppedAfterNinetyDays(_ database: TestDatabase) async throws {
        try await database.withStorage { storage, _ async throws in
            for index in 1...5 { try await storage.recordAudit(Self.entry(at: Int64(index), action: "a\(index)")) }
            let first = try await storage.auditEntries(before: nil, limit: 2)
            #expect(first.map(\.action) == ["a5", "a4"])
            let second = try await storage.auditEntries(before: first.last?.id, limit: 2)
            #expect(second.map(\.action) == ["a3", "a2"])
            #expect(try await storage.auditEntries(before: second.last?.id, limit: 2).map(\.action) == ["a1"])
            let read = try #require(first.first)
            #expect(read.actor == "admin" && read.channel == .api && read.origin == "127.0.0.1" && read.at == 5 && read.detail == "{}")

            // Ninety days and a moment after the first four, they are gone; the fifth is younger.
            try await storage.recordAudit(Self.entry(at: 4 + AuditEntry.retentionMillis + 1, action: "late"))
            #expect(try await storage.auditEntries(before: nil, limit: 10).map(\.action) == ["late", "a5"])
        }
    }
}
