import BackroomCore
import Testing

struct MigrationPlanTests {
    @Test func pendingAreTheKnownVersionsNotYetApplied() throws {
        #expect(try MigrationPlan.pending(known: [1, 2, 3], applied: []) == [1, 2, 3])
        #expect(try MigrationPlan.pending(known: [1, 2, 3], applied: [1, 2]) == [3])
        #expect(try MigrationPlan.pending(known: [1, 2, 3], applied: [1, 2, 3]) == [])
    }

    @Test func aDatabaseFromANewerBackroomIsRefused() {
        #expect(throws: MigrationPlan.Problem.databaseIsNewer(unknownVersions: [4])) {
            try MigrationPlan.pending(known: [1, 2, 3], applied: [1, 2, 3, 4])
        }
    }

    @Test func migrationsMustAscend() {
        #expect(throws: MigrationPlan.Problem.versionsNotAscending) {
            try MigrationPlan.pending(known: [1, 3, 2], applied: [])
        }
    }
}
