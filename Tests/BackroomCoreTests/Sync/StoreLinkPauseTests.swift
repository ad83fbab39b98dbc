import BackroomCore
import Testing

struct StoreLinkPauseTests {
    static let fiveMinutes = SyncInterval(seconds: 300)!

    @Test func aWorkingLinkExchangesEverySecond() {
        #expect(StoreLinkMachine.pause(offline: false, failures: 0, retrySeconds: 60, interval: Self.fiveMinutes, jitter: 1) == .seconds(1))
    }

    @Test func failuresBackOffExponentiallyWithJitterUpToTheRetryPeriod() {
        #expect(StoreLinkMachine.pause(offline: false, failures: 1, retrySeconds: 60, interval: Self.fiveMinutes, jitter: 1) == .seconds(2))
        #expect(StoreLinkMachine.pause(offline: false, failures: 3, retrySeconds: 60, interval: Self.fiveMinutes, jitter: 0.5) == .seconds(4))
        #expect(StoreLinkMachine.pause(offline: false, failures: 10, retrySeconds: 60, interval: Self.fiveMinutes, jitter: 1) == .seconds(60))
        #expect(StoreLinkMachine.pause(offline: true, failures: 10, retrySeconds: 60, interval: Self.fiveMinutes, jitter: 0.5) == .seconds(60))
    }

    @Test func theEnginesIntervalCapsEveryPause() {
        let tenSeconds = SyncInterval(seconds: 10)!
        #expect(StoreLinkMachine.pause(offline: false, failures: 10, retrySeconds: 3_600, interval: tenSeconds, jitter: 1) == .seconds(10))
        #expect(StoreLinkMachine.pause(offline: true, failures: 0, retrySeconds: 3_600, interval: tenSeconds, jitter: 1) == .seconds(10))
    }
}
