import BackroomCore
import BackroomStorage
import Synchronization
import Testing

struct ChangeCacheTests {
    /// Counts its reads, and answers with the count.
    final class Reader: Sendable {
        let reads = Mutex(0)
        func read() -> Int {
            reads.withLock {
                $0 += 1
                return $0
            }
        }
    }

    @Test func readOnceUntilAChangeConcerningItIsHeard() async throws {
        let feed = ChangeFeed(live: true)
        let cache = ChangeCache<Int>(feed: feed, shops: [10010])
        let reader = Reader()
        #expect(try await cache.value { reader.read() } == 1)
        #expect(try await cache.value { reader.read() } == 1, "nothing changed")
        feed.publish(.shops([10020]))
        #expect(try await cache.value { reader.read() } == 1, "another shop's change")
        feed.publish(.shops([10010]))
        #expect(try await cache.value { reader.read() } == 2)
        feed.publish(.everything)
        #expect(try await cache.value { reader.read() } == 3)
        #expect(try await cache.value { reader.read() } == 3)
    }

    @Test func aChangeWhileReadingMakesTheNextCallReadAgain() async throws {
        let feed = ChangeFeed(live: true)
        let cache = ChangeCache<Int>(feed: feed)
        let reader = Reader()
        #expect(
            try await cache.value {
                feed.publish(.everything)
                return reader.read()
            } == 1
        )
        #expect(try await cache.value { reader.read() } == 2)
    }

    @Test func whileChangesAreNotHeardEveryCallReads() async throws {
        let feed = ChangeFeed(live: false)
        let cache = ChangeCache<Int>(feed: feed)
        let reader = Reader()
        #expect(try await cache.value { reader.read() } == 1)
        #expect(try await cache.value { reader.read() } == 2)
    }

    @Test func aFailedReadKeepsNothing() async throws {
        let feed = ChangeFeed(live: true)
        let cache = ChangeCache<Int>(feed: feed)
        let reader = Reader()
        await #expect(throws: CancellationError.self) { try await cache.value { throw CancellationError() } }
        #expect(try await cache.value { reader.read() } == 1)
        #expect(try await cache.value { reader.read() } == 1)
    }
}
