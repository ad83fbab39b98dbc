import BackroomCore
import Testing

struct StatusLookupTests {
    static let central = ServerKey.central
    static let store = try! ServerKey("VALLBLANCA")
    static let now: Int64 = 1_000_000_000

    static func entry(_ status: ServerStatus, writtenAgo age: Int64?, log: String? = "connection refused") -> StatusLookup.Entry {
        StatusLookup.Entry(status: status, updatedAt: age.map { now - $0 }, url: "http://10.0.3.2:8080", offlineLog: log)
    }

    static func decide(_ asked: ServerKey, _ entry: StatusLookup.Entry?, maximumAge: Int = 300_000) -> StatusLookup.Decision {
        StatusLookup.decide(asked: asked, own: central, entry: entry, maximumAgeMillis: maximumAge, now: now)
    }

    @Test func theOwnKeyIsAnsweredByTheServerItself() {
        #expect(Self.decide(Self.central, Self.entry(.offline, writtenAgo: 0)) == .own)
    }

    @Test func aKeyNotInTheRegistryIsUnknown() {
        #expect(Self.decide(Self.store, nil) == .unknown)
        #expect(StatusLookup.unknownKeyError("NOPE") == "unknown server key NOPE")
    }

    @Test func aStatusUpToTheMaximumAgeIsAnsweredAsStored() {
        #expect(Self.decide(Self.store, Self.entry(.transitionToOnline, writtenAgo: 300_000)) == .stored(.transitionToOnline, error: nil))
        #expect(Self.decide(Self.store, Self.entry(.offline, writtenAgo: 10)) == .stored(.offline, error: "connection refused"))
    }

    @Test func anOlderOrNeverWrittenStatusIsAskedForAtTheServersURL() {
        #expect(Self.decide(Self.store, Self.entry(.online, writtenAgo: 300_001)) == .probe(url: "http://10.0.3.2:8080"))
        #expect(Self.decide(Self.store, Self.entry(.offline, writtenAgo: nil)) == .probe(url: "http://10.0.3.2:8080"))
        #expect(Self.decide(Self.store, Self.entry(.online, writtenAgo: 0), maximumAge: 0) == .stored(.online, error: nil))
        #expect(Self.decide(Self.store, Self.entry(.online, writtenAgo: 1), maximumAge: 0) == .probe(url: "http://10.0.3.2:8080"))
    }

    @Test func aStatusIsWrittenWhenItChangesOrWhatIsStoredIsHalfTheMaximumAgeOld() {
        #expect(StatusLookup.isWorthRecording(.offline, over: Self.entry(.online, writtenAgo: 1), maximumAgeMillis: 300_000, now: Self.now))
        #expect(!StatusLookup.isWorthRecording(.online, over: Self.entry(.online, writtenAgo: 149_999), maximumAgeMillis: 300_000, now: Self.now))
        #expect(StatusLookup.isWorthRecording(.online, over: Self.entry(.online, writtenAgo: 150_000), maximumAgeMillis: 300_000, now: Self.now))
        #expect(
            StatusLookup.isWorthRecording(.online, over: Self.entry(.online, writtenAgo: nil), maximumAgeMillis: 300_000, now: Self.now),
            "never written"
        )
    }

    @Test func anUnchangedStatusIsNotWrittenMoreOftenThanEveryTenSeconds() {
        #expect(!StatusLookup.isWorthRecording(.online, over: Self.entry(.online, writtenAgo: 9_999), maximumAgeMillis: 0, now: Self.now))
        #expect(StatusLookup.isWorthRecording(.online, over: Self.entry(.online, writtenAgo: 10_000), maximumAgeMillis: 0, now: Self.now))
        #expect(StatusLookup.isWorthRecording(.transitionToOffline, over: Self.entry(.online, writtenAgo: 1), maximumAgeMillis: 0, now: Self.now))
    }
}
