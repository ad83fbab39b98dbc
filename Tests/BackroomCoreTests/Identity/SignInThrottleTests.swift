import BackroomCore
import Testing

struct SignInThrottleTests {
    static let minute: Int64 = 60_000

    @Test func theSixthAttemptAfterFiveFailuresIsRefusedUntilTheWindowPasses() {
        var throttle = SignInThrottle()
        let keys = SignInThrottle.keys(user: "tje0", address: "10.0.0.7")
        var throttledAt: [SignInThrottle.Key] = []
        for attempt in 0..<5 {
            #expect(throttle.refusal(keys, at: Int64(attempt) * Self.minute) == nil)
            throttledAt = throttle.recordFailure(keys, at: Int64(attempt) * Self.minute)
        }
        #expect(Set(throttledAt) == Set(keys), "the fifth failure throttles the address and the user there")
        #expect(throttle.refusal(keys, at: 5 * Self.minute) == 10 * Self.minute, "15 minutes after the first failure")
        #expect(throttle.refusal(keys, at: 15 * Self.minute - 1) == 1)
        #expect(throttle.refusal(keys, at: 15 * Self.minute) == nil, "the first failure has left the window")
    }

    @Test func anAddressIsThrottledWhateverUsersItTries() {
        var throttle = SignInThrottle()
        for (index, user) in ["a", "b", "c", "d", "e"].enumerated() {
            _ = throttle.recordFailure(SignInThrottle.keys(user: user, address: "10.0.0.7"), at: Int64(index))
        }
        #expect(throttle.refusal(SignInThrottle.keys(user: "tje0", address: "10.0.0.7"), at: 10) != nil, "a right password is refused there too")
        #expect(throttle.refusal(SignInThrottle.keys(user: "tje0", address: "10.0.0.8"), at: 10) == nil, "another address is not")
        #expect(throttle.refusal(SignInThrottle.keys(user: nil, address: "10.0.0.7"), at: 10) != nil, "nor a token from it")
    }

    @Test func failuresSpreadOverMoreThanTheWindowNeverThrottle() {
        var throttle = SignInThrottle()
        let keys = SignInThrottle.keys(user: "tje0", address: "10.0.0.7")
        for attempt in 0..<20 {
            let now = Int64(attempt) * 4 * Self.minute
            #expect(throttle.refusal(keys, at: now) == nil, "attempt \(attempt)")
            _ = throttle.recordFailure(keys, at: now)
        }
    }
}
