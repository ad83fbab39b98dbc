import BackroomCore
import Testing

struct DeliveryStateTests {
    static let north = try! ServerKey("NORTE")

    @Test func aBatchKeepsItsKeyUntilItIsDeliveredAndOnlyThenTheCursorMoves() {
        var state = DeliveryState()
        state.pending = SyncCursor([.central: 500])
        let key = state.keyMaterial(connection: "u")
        let failed = state.failed(at: 1_000, cap: 300, jitter: 0.5)
        #expect(failed.keyMaterial(connection: "u") == key, "sent again after a failure, under the same key")
        #expect(failed.cursor == SyncCursor() && failed.pending == state.pending)
        let delivered = failed.delivered()
        #expect(delivered.cursor == SyncCursor([.central: 500]) && delivered.pending == nil && delivered.failures == 0 && delivered.retryAt == nil)
        var next = delivered
        next.pending = SyncCursor([.central: 1000])
        #expect(next.keyMaterial(connection: "u") != key)
        #expect(next.keyMaterial(connection: "other") != next.keyMaterial(connection: "u"), "keys are the connection's own")
    }

    @Test func aResyncStartsOverUnderNewKeys() {
        var state = DeliveryState(cursor: SyncCursor([.central: 900]), pending: SyncCursor([.central: 1000]))
        let before = state.keyMaterial(connection: "u")
        state = state.startedOver(ids: [])
        #expect(state.cursor == SyncCursor() && state.pending == nil && state.generation == 1)
        state.pending = SyncCursor([.central: 100])
        let fresh = DeliveryState(pending: SyncCursor([.central: 100]))
        #expect(state.keyMaterial(connection: "u") != fresh.keyMaterial(connection: "u"), "the same range as before, another key")
        #expect(before != state.keyMaterial(connection: "u"))

        let some = state.startedOver(ids: [7, 3, 7])
        #expect(some.resend == [3, 7] && some.pending == state.pending && some.generation == 2)
        #expect(some.keyMaterial(connection: "u").contains("|ids|3,7"))
        let done = some.delivered()
        #expect(done.resend.isEmpty && done.pending == state.pending, "the ids go first, then the batch that waited")
    }

    @Test func failuresBackOffDoublingUpToTheInterval() {
        var state = DeliveryState()
        var pauses: [Int64] = []
        for _ in 1...12 {
            state = state.failed(at: 0, cap: 60, jitter: 1)
            pauses.append(state.retryAt ?? -1)
        }
        #expect(pauses.prefix(4) == [500, 1000, 2000, 4000])
        #expect(pauses.last == 60_000, "capped at the interval")
        #expect(state.failures == 12)
        let jittered = DeliveryState().failed(at: 0, cap: 60, jitter: 0).retryAt
        #expect(jittered == 250, "jitter spreads retries down to half the pause")
    }

    @Test func theStateIsReadBackAsWritten() {
        let state = DeliveryState(
            cursor: SyncCursor([.central: 5, Self.north: 9]),
            pending: SyncCursor([.central: 8]),
            resend: [1, 2],
            generation: 3,
            failures: 2,
            retryAt: 77
        )
        #expect(DeliveryState(encoded: state.encoded) == state)
        #expect(DeliveryState(encoded: "not json") == DeliveryState())
    }
}
