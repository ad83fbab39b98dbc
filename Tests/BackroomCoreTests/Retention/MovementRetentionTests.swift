import BackroomCore
import Testing

struct MovementRetentionTests {
    static let north = try! ServerKey("NORTE")
    static let south = try! ServerKey("SUR")

    @Test func anOriginGoesNoFurtherThanTheSlowestConsumerThatReadsIt() {
        let consumers = [
            // A store's pull skips its own origin; the ERP export reads every one.
            MovementRetention.Consumer(position: SyncCursor([.central: 40, Self.south: 7]), scope: .allBut(Self.north)),
            MovementRetention.Consumer(position: SyncCursor([.central: 90, Self.north: 12, Self.south: 3]), scope: .allBut(nil)),
            // Central, as far as it holds a store's own movements.
            MovementRetention.Consumer(position: SyncCursor([Self.north: 5]), scope: .only(Self.north)),
        ]
        let bounds = MovementRetention.bounds(of: [.central, Self.north, Self.south], consumers: consumers)
        #expect(bounds[.central] == .some(40))
        #expect(bounds[Self.north] == .some(5))
        #expect(bounds[Self.south] == .some(3))
        #expect(MovementRetention.bounds(of: [.central], consumers: [])[.central] == .some(nil), "read by nobody: the cutoff alone")
        let unread = MovementRetention.bounds(of: [.central], consumers: [consumers[2]])
        #expect(unread[.central] == .some(nil), "a consumer of another origin only bounds that one")
    }

    @Test func whatGoesIsAPrefixRecordedBeforeTheCutoffAndWithinTheBound() {
        let oldest: [(sequence: Int64, recordedAt: Int64)] = [(3, 100), (4, 150), (5, 300), (6, 120)]
        #expect(MovementRetention.deletableThrough(oldest, cutoff: 200, bound: nil) == 4, "stops at the first too recent, whatever follows")
        #expect(MovementRetention.deletableThrough(oldest, cutoff: 200, bound: 3) == 3, "no further than every consumer has them")
        #expect(MovementRetention.deletableThrough(oldest, cutoff: 100, bound: nil) == nil, "recorded at the cutoff is kept")
        #expect(MovementRetention.deletableThrough(oldest, cutoff: 1000, bound: 2) == nil)
        #expect(MovementRetention.deletableThrough([], cutoff: 1000, bound: nil) == nil)
    }

    @Test func aCursorIsBehindWhenAnOriginItReadsWasDeletedPastIt() {
        let horizons: [ServerKey: Int64] = [.central: 10, Self.north: 50]
        #expect(!MovementRetention.isBehind(SyncCursor([.central: 10]), horizons: horizons, except: Self.north), "its own origin it never reads")
        #expect(MovementRetention.isBehind(SyncCursor([.central: 9]), horizons: horizons, except: Self.north))
        #expect(MovementRetention.isBehind(SyncCursor([.central: 10]), horizons: horizons, except: Self.south), "NORTE's were deleted past 0")
        #expect(!MovementRetention.isBehind(SyncCursor(), horizons: [:], except: Self.south), "nothing deleted, nothing missed")
    }

    @Test func thePolicyCountsInDaysAndAStoreIsGoneWhenItsCursorStoodStillForAsLong() {
        let policy = RetentionPolicy(finishedReservationDays: 30, movementDays: 90)
        let now: Int64 = 1_800_000_000_000
        #expect(policy.finishedReservationCutoff(at: now) == now - 30 * 86_400_000)
        #expect(policy.movementCutoff(at: now) == now - 90 * 86_400_000)
        #expect(policy.storeIsGone(cursorMovedAt: now - 90 * 86_400_000 - 1, at: now))
        #expect(!policy.storeIsGone(cursorMovedAt: now - 90 * 86_400_000, at: now))
        let defaults = RetentionPolicy(
            finishedReservationDays: Preference.finishedReservationRetention.defaultValue,
            movementDays: Preference.movementRetention.defaultValue
        )
        #expect(defaults == RetentionPolicy(finishedReservationDays: 30, movementDays: 90))
    }
}
