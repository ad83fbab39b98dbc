import BackroomCore
import BackroomStorage
import BackroomTestSupport
import Testing

struct DatabaseDeadlineTests {
    @Test func workDoneInTimeIsAnsweredAsItIs() async throws {
        let clock = ManualClock().clock
        #expect(try await DatabaseDeadline.within(.seconds(30), on: clock) { 42 } == 42)
        await #expect(throws: StorageError.lockTimeout) {
            try await DatabaseDeadline.within(.seconds(30), on: clock) { () async throws -> Int in throw StorageError.lockTimeout }
        }
    }

    @Test func workThatNeverEndsIsUnavailabilityAfterTheDeadline() async throws {
        // As a query on a lost connection that is never answered: it ignores cancellation too.
        let manual = ManualClock()
        let clock = manual.clock
        let waiting = Task {
            try await DatabaseDeadline.within(.seconds(15), on: clock) { () async throws -> Int in
                await withUnsafeContinuation { (_: UnsafeContinuation<Void, Never>) in }
                return 0
            }
        }
        await manual.sleepers(atLeast: 1)
        manual.advance(by: .seconds(15))
        do {
            _ = try await waiting.value
            Issue.record("answered")
        } catch {
            #expect(StorageError.isUnavailability(error), "\(error)")
        }
    }
}
