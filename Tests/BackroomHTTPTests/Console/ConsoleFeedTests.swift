import NIOConcurrencyHelpers
import Testing

@testable import BackroomHTTP

struct ConsoleFeedTests {
    @Test func everySubscriberHearsOneReadAndTheReadsStopWithTheLastOfThem() async throws {
        let reads = NIOLockedValueBox(0)
        let feed = ConsoleFeed {
            let count = reads.withLockedValue { value in
                value += 1
                return value
            }
            // The text changes on the third read only.
            return count >= 3 ? "changed" : "first"
        }
        let (first, firstUpdates) = await feed.subscribe()
        let (second, secondUpdates) = await feed.subscribe()
        var heard: [[String]] = []
        for updates in [firstUpdates, secondUpdates] {
            var texts: [String] = []
            for await update in updates {
                texts.append(update)
                if update == "changed" { break }
            }
            heard.append(texts)
        }
        #expect(heard[0] == ["first", "first", "changed"], "every second, changed or not")
        #expect(heard[1].last == "changed", "one that fell behind skips to the newest")
        #expect(reads.withLockedValue { $0 } <= 4, "one read a second for both, not one each")

        let (late, lateUpdates) = await feed.subscribe()
        var lateIterator = lateUpdates.makeAsyncIterator()
        #expect(await lateIterator.next() == "changed", "a new subscriber hears the latest at once")

        for id in [first, second, late] { await feed.unsubscribe(id) }
        try await Task.sleep(for: .seconds(2.5))
        let stopped = reads.withLockedValue { $0 }
        try await Task.sleep(for: .seconds(2))
        #expect(reads.withLockedValue { $0 } == stopped, "nobody listens: nothing is read")
    }
}
