import BackroomTestSupport
import NIOConcurrencyHelpers
import Testing

@testable import BackroomHTTP

struct ConsoleFeedTests {
    @Test func everySubscriberHearsOneReadAndTheReadsStopWithTheLastOfThem() async throws {
        let manual = ManualClock()
        let reads = NIOLockedValueBox(0)
        let feed = ConsoleFeed(clock: manual.clock) {
            let count = reads.withLockedValue { value in
                value += 1
                return value
            }
            // The text changes on the third read only.
            return count >= 3 ? "changed" : "first"
        }
        /// A second of the feed: once it sleeps after its read, its clock moves on.
        func aSecondPasses() async {
            await manual.sleepers(atLeast: 1)
            manual.advance(by: .seconds(1))
        }
        let (first, firstUpdates) = await feed.subscribe()
        let (second, secondUpdates) = await feed.subscribe()
        var firstHeard = firstUpdates.makeAsyncIterator()
        var heard: [String] = []
        while let update = await firstHeard.next() {
            heard.append(update)
            if update == "changed" { break }
            await aSecondPasses()
        }
        #expect(heard == ["first", "first", "changed"], "every second, changed or not")
        var secondHeard = secondUpdates.makeAsyncIterator()
        #expect(await secondHeard.next() == "changed", "one that fell behind skips to the newest")
        #expect(reads.withLockedValue { $0 } <= 4, "one read a second for both, not one each")

        let (late, lateUpdates) = await feed.subscribe()
        var lateIterator = lateUpdates.makeAsyncIterator()
        #expect(await lateIterator.next() == "changed", "a new subscriber hears the latest at once")

        // Between two reads, everybody leaves: the feed wakes once more, and reads no more.
        await manual.sleepers(atLeast: 1)
        for id in [first, second, late] { await feed.unsubscribe(id) }
        let stopped = reads.withLockedValue { $0 }
        manual.advance(by: .seconds(1))
        #expect(await Poll.until(within: .milliseconds(200)) { manual.sleeping > 0 } == false, "the feed stopped instead of sleeping again")
        #expect(reads.withLockedValue { $0 } == stopped, "nobody listens: nothing is read")
    }
}
