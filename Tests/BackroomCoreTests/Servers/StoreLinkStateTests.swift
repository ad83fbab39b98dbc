import BackroomCore
import Testing

struct StoreLinkStateTests {
    @Test func aStoreStartsOffAndComesOnThroughTON() {
        var state = StoreLinkState()
        #expect(state.status == .offline)
        state.linkWorked(nothingWaiting: true)
        #expect(state.status == .transitionToOnline, "TON is seen for at least one exchange")
        state.linkWorked(nothingWaiting: false)
        #expect(state.status == .transitionToOnline, "TON lasts while something waits")
        state.linkWorked(nothingWaiting: true)
        #expect(state.status == .online)
        state.linkWorked(nothingWaiting: false)
        #expect(state.status == .online, "new sales waiting for the next exchange are normal when on")
    }

    @Test func aFailureTurnsItTOFFAndTheWaitOFF() {
        var state = StoreLinkState()
        state.linkWorked(nothingWaiting: true)
        state.linkWorked(nothingWaiting: true)
        state.linkFailed(at: 1_000)
        #expect(state.status == .transitionToOffline && state.failingSince == 1_000)
        state.linkFailed(at: 50_000)
        #expect(state.failingSince == 1_000, "the wait runs from the first failure")
        state.timePassed(to: 1_000 + 5 * 60_000 - 1, waitMillis: 300_000)
        #expect(state.status == .transitionToOffline)
        state.timePassed(to: 1_000 + 5 * 60_000, waitMillis: 300_000)
        #expect(state.status == .offline && state.failingSince == nil)
        state.linkFailed(at: 400_000)
        #expect(state.status == .offline)
    }

    @Test func theLinkWorkingAgainDuringTOFFGoesBackThroughTON() {
        var state = StoreLinkState()
        state.linkWorked(nothingWaiting: true)
        state.linkFailed(at: 0)
        state.linkWorked(nothingWaiting: true)
        #expect(state.status == .transitionToOnline && state.failingSince == nil)
        state.timePassed(to: 60 * 60_000, waitMillis: 300_000)
        #expect(state.status == .transitionToOnline)
    }

    @Test func aWaitOfZeroGoesOffAtOnce() {
        var state = StoreLinkState()
        state.linkWorked(nothingWaiting: true)
        state.linkFailed(at: 7)
        state.timePassed(to: 7, waitMillis: 0)
        #expect(state.status == .offline)
    }
}
