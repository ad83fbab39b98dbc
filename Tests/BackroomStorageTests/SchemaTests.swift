@testable import BackroomStorage
import Testing

struct SchemaTests {
    @Test func everyPlaceholderIsFilledForBothDialects() {
        for migration in Schema.migrations {
            let sqlite = migration.statements(for: .sqlite).joined(separator: "\n")
            let postgres = migration.statements(for: .postgresql).joined(separator: "\n")
            #expect(!sqlite.contains("{") && !postgres.contains("{"))
            #expect(sqlite.contains("INTEGER PRIMARY KEY"))
            #expect(postgres.contains("BIGSERIAL PRIMARY KEY"))
        }
    }
}
