import BackroomCore
import BackroomStorage
import BackroomTestSupport
import Testing

struct ChangeFeedTests {
    @Test func aWatchHearsOnlyChangesOfItsShopsMadeAfterItBegan() async throws {
        let feed = ChangeFeed(live: true)
        feed.publish(.shops([10010]))
        let watch = feed.watch(shops: [10010])
        #expect(await watch.wait(upTo: .milliseconds(50)) == false, "published before the watch began")
        feed.publish(.shops([10020]))
        #expect(await watch.wait(upTo: .milliseconds(50)) == false, "another shop")
        feed.publish(.shops([10010, 10020]))
        #expect(await watch.wait(upTo: .seconds(30)), "kept until waited for")
        feed.publish(.everything)
        #expect(await watch.wait(upTo: .seconds(30)))
        #expect(await watch.wait(upTo: .milliseconds(50)) == false, "each change is heard once")
    }

    @Test func aChangeWakesAWaitInProgressAndAFinishedWatchIsForgotten() async throws {
        let feed = ChangeFeed(live: true)
        var watch: ChangeFeed.Watch? = feed.watch(shops: nil)
        async let woken = watch!.wait(upTo: .seconds(30))
        while feed.watching == 0 { await Task.yield() }
        try await Task.sleep(for: .milliseconds(20))
        feed.publish(.shops([1]))
        #expect(await woken)
        watch = nil
        #expect(feed.watching == 0)
    }

    @Test func aCancelledWaitEnds() async throws {
        let feed = ChangeFeed(live: true)
        let watch = feed.watch(shops: [1])
        let waiting = Task { await watch.wait(upTo: .seconds(300)) }
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

    static func untilLive(_ storage: any BackroomStorage) async throws {
        for _ in 0..<600 where !storage.changes.isLive { try await Task.sleep(for: .milliseconds(50)) }
        #expect(storage.changes.isLive)
    }

    @Test(arguments: TestDatabase.allCases)
    func aCommittedMovementIsHeardAndABookkeepingWriteIsNot(_ database: TestDatabase) async throws {
        try await database.withStorage { storage, _ async throws in
            try await Self.untilLive(storage)
            let watch = storage.changes.watch(shops: [10010])
            try await storage.setSyncState(.peerPulled(try ServerKey("NORTE")), "NORTE:1")
            #expect(await watch.wait(upTo: .milliseconds(500)) == false, "what every pull writes wakes no one")
            try await storage.applyReplicated([Self.movement(1, shop: 10010)], recording: nil, figures: nil)
            #expect(await watch.wait(upTo: .seconds(30)))
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
                    #expect(await watch.wait(upTo: .seconds(1)) == false, "another shop's movement")
                    try await writer.applyReplicated([Self.movement(2, shop: 10010)], recording: nil, figures: nil)
                    #expect(await watch.wait(upTo: .seconds(30)))
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
            #expect(await watch.wait(upTo: .seconds(1)) == false, "its own movement")
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
            #expect(await watch.wait(upTo: .seconds(30)), "another store's sale in the same shop")
        }
    }
}
