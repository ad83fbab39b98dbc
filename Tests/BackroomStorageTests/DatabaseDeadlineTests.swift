import BackroomStorage
import Testing

struct DatabaseDeadlineTests {
    @Test func workDoneInTimeIsAnsweredAsItIs() async throws {
        #expect(try await DatabaseDeadline.within(.seconds(30)) { 42 } == 42)
        await #expect(throws: StorageError.lockTimeout) {
            try await DatabaseDeadline.within(.seconds(30)) { () async throws -> Int in throw StorageError.lockTimeout }
        }
    }

    @Test func workThatNeverEndsIsUnavailabilityAfterTheDeadline() async throws {
        // As a query on a lost connection that is never answered: it ignores cancellation too.
        let started = ContinuousClock.now
        do {
            _ = try await DatabaseDeadline.within(.milliseconds(200)) { () async throws -> Int in
                await withUnsafeContinuation { (_: UnsafeContinuation<Void, Never>) in }
                return 0
            }
            Issue.record("answered")
        } catch {
            #expect(StorageError.isUnavailability(error), "\(error)")
        }
        #expect(ContinuousClock.now - started < .seconds(10))
    }
}
