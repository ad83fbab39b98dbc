import BackroomCore
import Testing

@Suite struct OfflineAlertTests {
    @Test func aStoreOffForLongerThanTheWaitCalls() {
        #expect(OfflineAlert.isDue(offlineSince: 1000, now: 1000 + 300_001, waitMillis: 300_000))
        #expect(!OfflineAlert.isDue(offlineSince: 1000, now: 1000 + 300_000, waitMillis: 300_000))
    }

    @Test func aStoreThatNeverCameOnlineCallsAtOnce() {
        #expect(OfflineAlert.isDue(offlineSince: nil, now: 0, waitMillis: 300_000))
    }
}
