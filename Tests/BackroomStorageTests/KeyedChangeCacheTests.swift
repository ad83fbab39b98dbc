import BackroomCore
import BackroomStorage
import Testing

struct KeyedChangeCacheTests {
    @Test func eachKeyIsReadOnceUntilAChangeToEverythingIsHeard() async throws {
        let feed = ChangeFeed(live: true)
        let cache = KeyedChangeCache<String, Int>(feed: feed)
        let north = ChangeCacheTests.Reader()
        let south = ChangeCacheTests.Reader()
        #expect(try await cache.value(for: "NORTE") { north.read() } == 1)
        #expect(try await cache.value(for: "SUR") { south.read() } == 1, "a key of its own")
        #expect(try await cache.value(for: "NORTE") { north.read() } == 1, "kept")
        feed.publish(.shops([10010]))
        #expect(try await cache.value(for: "NORTE") { north.read() } == 1, "a shop's change is not everything's")
        feed.publish(.everything)
        #expect(try await cache.value(for: "NORTE") { north.read() } == 2)
        #expect(try await cache.value(for: "SUR") { south.read() } == 2)
    }
}
