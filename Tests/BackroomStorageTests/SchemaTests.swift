import Testing

@testable import BackroomStorage

struct SchemaTests {
    @Test func everyPlaceholderIsFilledForBothDialects() {
        for migration in Schema.migrations {
            let sqlite = migration.statements(for: .sqlite).joined(separator: "\n")
            let postgres = migration.statements(for: .postgresql).joined(separator: "\n")
            #expect(!sqlite.contains("{") && !postgres.contains("{"))
            if migration.statements.joined().contains(Migration.serialPrimaryKey) {
                #expect(sqlite.contains("INTEGER PRIMARY KEY"))
                #expect(postgres.contains("BIGSERIAL PRIMARY KEY"))
            }
        }
    }
}

extension SchemaTests {
    @Test func tablesFoundByTheirKeyAreClusteredOnItInSQLite() {
        let sqlite = Schema.migrations.flatMap { $0.statements(for: .sqlite) }
        let postgres = Schema.migrations.flatMap { $0.statements(for: .postgresql) }
        for table in ["stock", "reservation_items"] {
            let definition = sqlite.first { $0.hasPrefix("CREATE TABLE \(table) (") }
            #expect(definition?.hasSuffix(") WITHOUT ROWID") == true, "\(table)")
        }
        #expect(!postgres.contains { $0.contains("WITHOUT ROWID") })
    }
}

extension SchemaTests {
    @Test func reservedSumsAreATableOnPostgreSQLOnly() {
        let sqlite = Schema.migrations.flatMap { $0.statements(for: .sqlite) }
        let postgres = Schema.migrations.flatMap { $0.statements(for: .postgresql) }
        #expect(sqlite.last { $0.contains("reserved_buckets") } == "DROP TABLE reserved_buckets")
        #expect(!postgres.contains("DROP TABLE reserved_buckets"))
    }
}
