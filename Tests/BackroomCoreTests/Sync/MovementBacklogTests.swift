import BackroomCore
import Testing

@Suite struct MovementBacklogTests {
    @Test func theLagIsTheAgeOfTheOldestMovementWaiting() {
        #expect(MovementBacklog(count: 3, oldestRecordedAt: 10_000).lagSeconds(at: 12_500) == 2.5)
    }

    @Test func nothingWaitingIsNoLag() {
        #expect(MovementBacklog(count: 0, oldestRecordedAt: 10_000).lagSeconds(at: 99_000) == 0)
        #expect(MovementBacklog(count: 0, oldestRecordedAt: 10_000).oldestRecordedAt == nil)
    }

    @Test func aClockThatWentBackIsNoLagRatherThanLess() {
        #expect(MovementBacklog(count: 1, oldestRecordedAt: 10_000).lagSeconds(at: 9_000) == 0)
    }
}
