import BackroomCore
import Testing

/// A clock a test moves by hand.
struct HandClock: Clock {
    struct Instant: InstantProtocol {
        let offset: Duration

        func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    var now = Instant(offset: .zero)
    var minimumResolution: Duration { .nanoseconds(1) }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {}

    mutating func advance(by duration: Duration) { now = now.advanced(by: duration) }
}

struct ConnectionDeadlinesTests {
    static let limits = ConnectionDeadlines<HandClock>.Limits(header: .seconds(20), idle: .seconds(75))

    @Test func aConnectionThatNeverFinishesItsHeadIsClosedAfterTheHeaderDeadline() {
        var clock = HandClock()
        var deadlines = ConnectionDeadlines(limits: Self.limits, openedAt: clock.now)
        clock.advance(by: .seconds(5))
        deadlines.bytesRead(at: clock.now)
        clock.advance(by: .seconds(14))
        deadlines.bytesRead(at: clock.now)
        #expect(!deadlines.hasRunOut(at: clock.now), "19 s after the start")
        clock.advance(by: .seconds(1))
        #expect(deadlines.hasRunOut(at: clock.now), "a byte now and then does not move the deadline")
    }

    @Test func whileARequestIsAnsweredNothingRunsOut() {
        var clock = HandClock()
        var deadlines = ConnectionDeadlines(limits: Self.limits, openedAt: clock.now)
        deadlines.headRead(at: clock.now)
        deadlines.requestEnded()
        clock.advance(by: .seconds(600))
        #expect(deadlines.deadline == nil && !deadlines.hasRunOut(at: clock.now), "a long poll or a slow answer")
        deadlines.responseEnded(at: clock.now)
        #expect(deadlines.deadline == clock.now.advanced(by: .seconds(75)), "then idle")
    }

    @Test func anIdleConnectionIsClosedAfterTheIdleDeadlineAndANewRequestGetsTheHeaderDeadline() {
        var clock = HandClock()
        var deadlines = ConnectionDeadlines(limits: Self.limits, openedAt: clock.now)
        deadlines.headRead(at: clock.now)
        deadlines.requestEnded()
        deadlines.responseEnded(at: clock.now)
        clock.advance(by: .seconds(74))
        #expect(!deadlines.hasRunOut(at: clock.now))
        deadlines.bytesRead(at: clock.now)
        #expect(deadlines.deadline == clock.now.advanced(by: .seconds(20)), "the next request's first byte starts its head's deadline")
        clock.advance(by: .seconds(20))
        #expect(deadlines.hasRunOut(at: clock.now))
    }

    @Test func pipelinedRequestsKeepTheConnectionBusyUntilTheLastAnswer() {
        var clock = HandClock()
        var deadlines = ConnectionDeadlines(limits: Self.limits, openedAt: clock.now)
        deadlines.headRead(at: clock.now)
        deadlines.requestEnded()
        deadlines.headRead(at: clock.now)
        deadlines.requestEnded()
        deadlines.responseEnded(at: clock.now)
        clock.advance(by: .seconds(100))
        #expect(deadlines.deadline == nil, "one answer still owed")
        deadlines.responseEnded(at: clock.now)
        #expect(deadlines.deadline == clock.now.advanced(by: .seconds(75)))
    }

    @Test func aBodyThatStopsComingRunsOutAfterTheIdleDeadline() {
        var clock = HandClock()
        var deadlines = ConnectionDeadlines(limits: Self.limits, openedAt: clock.now)
        deadlines.headRead(at: clock.now)
        clock.advance(by: .seconds(70))
        deadlines.bytesRead(at: clock.now)
        clock.advance(by: .seconds(74))
        #expect(!deadlines.hasRunOut(at: clock.now), "each part of the body keeps it alive")
        clock.advance(by: .seconds(1))
        #expect(deadlines.hasRunOut(at: clock.now), "75 s without a byte")
    }
}
