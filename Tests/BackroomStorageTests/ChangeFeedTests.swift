import BackroomCore
import BackroomStorage
import BackroomTestSupport
import Testing

struct ChangeFeedTests {
    /// Whether the watch hears a change within `timeout` of `clock`, the clock advanced by the
    /// test once the wait sleeps: "nothing heard" costs no time.
    static func heard(_ watch: ChangeFeed.Watch, within timeout: Duration, on manual: ManualClock) async -> Bool {
        if watch.changed() { return true }
        let sleeping = manual.sleeping
        let clock = manual.clock
        let waiting = Task { await watch.wait(upTo: timeout, on: clock) }
        await manual.sleepers(atLeast: sleeping + 1)
        manual.advance(by: timeout)
        return await waiting.value
    }

    @Test func aWatchHearsOnlyChangesOfItsShopsMadeAfterItBegan() async throws {
        let manual = ManualClock()
        let feed = ChangeFeed(live: true)
        feed.publish(.shops([10010]))
        let watch = feed.watch(shops: [10010])
        #expect(await Self.heard(watch, within: .seconds(1), on: manual) == false, "published before the watch began")
        feed.publish(.shops([10020]))
        #expect(await Self.heard(watch, within: .seconds(1), on: manual) == false, "another shop")
        feed.publish(.shops([10010, 10020]))
        #expect(await watch.wait(upTo: .seconds(30), on: manual.clock), "kept until waited for")
        feed.publish(.everything)
        #expect(await watch.wait(upTo: .seconds(30), on: manual.clock))
        #expect(await Self.heard(watch, within: .seconds(1), on: manual) == false, "each change is heard once")
    }

    @Test func aChangeWakesAWaitInProgressAndAFinishedWatchIsForgotten() async throws {
        let manual = ManualClock()
        let feed = ChangeFeed(live: true)
        var watch: ChangeFeed.Watch? = feed.watch(shops: nil)
        async let woken = watch!.wait(upTo: .seconds(30), on: manual.clock)
        // The wait is under way once its time-out sleeps.
        await manual.sleepers(atLeast: 1)
        feed.publish(.shops([1]))
        #expect(await woken)
        watch = nil
        #expect(feed.watching == 0)
    }

    @Test func aCancelledWaitEnds() async throws {
        let feed = ChangeFeed(live: true)
        let watch = feed.watch(shops: [1])
        let clock = ManualClock().clock
        let waiting = Task { await watch.wait(upTo: .seconds(300), on: clock) }
        waiting.cancel()
        #expect(await waiting.value == false)
    }

    static func movement(_ sequence: Int64, shop: Int) -> ReplicatedMovement {
        ReplicatedMovement(
            origin: try! ServerKey("NORTE"),
            sequence: sequence,
            shop: shop,
            product: "A",
            qty: -1,
            reason: .sale,
            reference: nil,
            createdAt: 1_700_000_000_000
        )
    }

    /// Returns once a marker write, made after what a test says wakes no one, is heard: changes
    /// are told in the order of their commits, so whatever the earlier write told has been told.
    static func heardAfterwards(_ changes: ChangeFeed, writing marker: () async throws -> Void) async throws {
        let everything = changes.watch(shops: nil)
        try await marker()
        #expect(await everything.wait(upTo: .seconds(30), on: .system), "the marker write is heard")
    }

    static func untilLive(_ storage: any BackroomStorage) async throws {
        #expect(await Poll.until { storage.changes.isLive })
    }

    @Test(arguments: TestDatabase.allCases)
    func aCommittedMovementIsHeardAndABookkeepingWriteIsNot(_ database: TestDatabase) async throws {
        try await database.withStorage { storage, _ async throws in
            try await Self.untilLive(storage)
            let watch = storage.changes.watch(shops: [10010])
            try await storage.setSyncState(.peerPulled(try ServerKey("NORTE")), "NORTE:1")
            // SQLite's writer tells at commit; PostgreSQL later, which a marker write waits out.
            if database == .postgresql {
                try await Self.heardAfterwards(
                    storage.changes,
                    writing: { try await storage.applyReplicated([Self.movement(1, shop: 10099)], recording: nil, figures: nil) }
                )
            }
            #expect(watch.changed() == false, "what every pull writes wakes no one")
            try await storage.applyReplicated([Self.movement(2, shop: 10010)], recording: nil, figures: nil)
            #expect(await watch.wait(upTo: .seconds(30), on: .system))
        }
    }

    /// Two storages on one PostgreSQL database are two central processes: a movement committed
    /// through one wakes a watch of the other, for its shop only.
    @Test func aMovementCommittedByAnotherProcessIsHeardForItsShop() async throws {
        try await TestDatabase.postgresql.withFresh { database async throws in
            try await database.withStorage { writer, _ async throws in
                try await database.withStorage { reader, _ async throws in
                    try await Self.untilLive(reader)
                    let watch = reader.changes.watch(shops: [10010])
                    try await writer.applyReplicated([Self.movement(1, shop: 10099)], recording: nil, figures: nil)
                    try await Self.heardAfterwards(
                        reader.changes,
                        writing: { try await writer.applyReplicated([Self.movement(3, shop: 10098)], recording: nil, figures: nil) }
                    )
                    #expect(watch.changed() == false, "another shop's movement")
                    try await writer.applyReplicated([Self.movement(2, shop: 10010)], recording: nil, figures: nil)
                    #expect(await watch.wait(upTo: .seconds(30), on: .system))
                }
            }
        }
    }

    /// A store's push is no news to its own parked pull; another origin's movement of its shop is.
    @Test func aStoresOwnMovementsDoNotWakeWhatWatchesForIt() async throws {
        try await TestDatabase.postgresql.withStorage { storage, _ async throws in
            try await Self.untilLive(storage)
            let watch = storage.changes.watch(shops: [10010], apartFrom: try ServerKey("NORTE"))
            try await storage.applyReplicated([Self.movement(1, shop: 10010)], recording: nil, figures: nil)
            try await Self.heardAfterwards(
                storage.changes,
                writing: { try await storage.applyReplicated([Self.movement(2, shop: 10099)], recording: nil, figures: nil) }
            )
            #expect(watch.changed() == false, "its own movement")
            let elsewhere = ReplicatedMovement(
                origin: try ServerKey("SUR"),
                sequence: 1,
                shop: 10010,
                product: "A",
                qty: -1,
                reason: .sale,
                reference: nil,
                createdAt: 1_700_000_000_000
            )
            try await storage.applyReplicated([elsewhere], recording: nil, figures: nil)
            #expect(await watch.wait(upTo: .seconds(30), on: .system), "another store's sale in the same shop")
        }
    }
}
