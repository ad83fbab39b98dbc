import BackroomCore
import Testing

struct SignInThrottleTests {
    static let minute: Int64 = 60_000
    typealias Attempt = SignInThrottle.Attempt

    static func tje0(at address: String = "10.0.0.7") -> Attempt { Attempt(.password(user: "tje0"), from: address) }

    @Test func theSixthAttemptAfterFiveFailuresIsRefusedUntilTheWindowPasses() {
        var throttle = SignInThrottle()
        let attempt = Self.tje0()
        var throttledAt: [SignInThrottle.Key] = []
        for index in 0..<5 {
            #expect(throttle.refusal(attempt, at: Int64(index) * Self.minute) == nil)
            throttledAt = throttle.recordFailure(attempt, at: Int64(index) * Self.minute)
        }
        #expect(Set(throttledAt) == [.address("10.0.0.7"), .credential(.password(user: "tje0"), at: "10.0.0.7")])
        #expect(throttle.refusal(attempt, at: 5 * Self.minute) == 10 * Self.minute, "15 minutes after the first failure")
        #expect(throttle.refusal(attempt, at: 15 * Self.minute - 1) == 1)
        #expect(throttle.refusal(attempt, at: 15 * Self.minute) == nil, "the first failure has left the window")
    }

    @Test func aThrottledAddressStillLetsInAClientThatSignedInFromThereBefore() {
        var throttle = SignInThrottle()
        throttle.recordSuccess(Self.tje0(), at: 0)
        // A stranger behind the same balancer guesses twelve times.
        for index in 0..<12 { _ = throttle.recordFailure(Attempt(.password(user: "admin"), from: "10.0.0.7"), at: Int64(index)) }
        #expect(throttle.refusal(Self.tje0(), at: 20) == nil, "the web shop goes on")
        #expect(throttle.refusal(Attempt(.password(user: "clerk"), from: "10.0.0.7"), at: 20) != nil, "a user never seen there does not")
        #expect(throttle.refusal(Attempt(.token(fingerprint: "f"), from: "10.0.0.7"), at: 20) != nil, "nor an unknown token")
        #expect(throttle.refusal(Attempt(.password(user: "clerk"), from: "10.0.0.8"), at: 20) == nil, "another address is not throttled")
    }

    @Test func aKnownClientIsRefusedWhenItsOwnCredentialIsGuessedThere() {
        var throttle = SignInThrottle()
        throttle.recordSuccess(Self.tje0(), at: 0)
        for index in 0..<5 { _ = throttle.recordFailure(Self.tje0(), at: Int64(index)) }
        #expect(throttle.refusal(Self.tje0(), at: 10) != nil, "the pair itself is throttled")
    }

    @Test func aGuessSpreadOverManyAddressesIsSlowedAtUnknownAddressesOnly() {
        var throttle = SignInThrottle()
        throttle.recordSuccess(Self.tje0(at: "192.0.2.1"), at: 0)
        let spread = SignInThrottle.defaultLimit * SignInThrottle.acrossAddressesFactor
        var throttled: [SignInThrottle.Key] = []
        for index in 0..<spread {
            throttled += throttle.recordFailure(Self.tje0(at: "198.51.100.\(index)"), at: Int64(index))
        }
        #expect(throttled == [.user("tje0")], "no single address reached its limit; the user did")
        #expect(throttle.refusal(Self.tje0(at: "203.0.113.9"), at: 100) != nil, "a new address is refused for tje0")
        #expect(throttle.refusal(Attempt(.password(user: "clerk"), from: "203.0.113.9"), at: 100) == nil, "another user is not")
        #expect(throttle.refusal(Self.tje0(at: "192.0.2.1"), at: 100) == nil, "the web shop's own address goes on")
    }

    @Test func aKnownClientIsForgottenAfterItsTime() {
        var throttle = SignInThrottle()
        throttle.recordSuccess(Self.tje0(), at: 0)
        let later = SignInThrottle.knownMillis
        for index in 0..<5 { _ = throttle.recordFailure(Attempt(.password(user: "x"), from: "10.0.0.7"), at: later + Int64(index)) }
        #expect(throttle.refusal(Self.tje0(), at: later + 10) != nil)
    }

    @Test func failuresSpreadOverMoreThanTheWindowNeverThrottle() {
        var throttle = SignInThrottle()
        for index in 0..<20 {
            let now = Int64(index) * 4 * Self.minute
            #expect(throttle.refusal(Self.tje0(), at: now) == nil, "attempt \(index)")
            _ = throttle.recordFailure(Self.tje0(), at: now)
        }
    }
}
