import BackroomCore
import Testing

struct FailedCallTests {
    @Test func aFailedConnectionIsOffWhateverWasStored() {
        #expect(FailedCall.verdict(readTimeout: false, readTimeoutForcesOffline: false, stored: .online) == .offline)
        #expect(FailedCall.verdict(readTimeout: false, readTimeoutForcesOffline: true, stored: .online) == .offline)
    }

    @Test func aReadTimeOutKeepsTheStatusUnlessThePreferenceSaysOtherwise() {
        #expect(FailedCall.verdict(readTimeout: true, readTimeoutForcesOffline: false, stored: .online) == .unchanged(.online))
        #expect(
            FailedCall.verdict(readTimeout: true, readTimeoutForcesOffline: false, stored: .transitionToOffline) == .unchanged(.transitionToOffline)
        )
        #expect(FailedCall.verdict(readTimeout: true, readTimeoutForcesOffline: true, stored: .online) == .offline)
    }

    @Test func aReadTimeOutOfAServerNeverSeenOrAlreadyOffIsOffWithTheReason() {
        #expect(FailedCall.verdict(readTimeout: true, readTimeoutForcesOffline: false, stored: nil) == .offline)
        #expect(FailedCall.verdict(readTimeout: true, readTimeoutForcesOffline: false, stored: .offline) == .offline)
    }
}
