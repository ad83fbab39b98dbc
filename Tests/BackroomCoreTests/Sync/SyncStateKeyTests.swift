import BackroomCore
import Testing

struct SyncStateKeyTests {
    /// The names are rows in databases already in use: a renamed key would lose a cursor.
    @Test func namesAreThoseDatabasesHold() throws {
        let store = try ServerKey("NORTE")
        let expected: [(SyncStateKey, String)] = [
            (.engineRunning, "engine.running"), (.engineInterval, "engine.interval"), (.engineProgress, "engine.progress"),
            (.engineRequested, "engine.requested"), (.engineSeen(store), "engine.seen.NORTE"), (.linkPushed, "link.pushed"),
            (.linkCursor, "link.cursor"), (.linkBootstrapped, "link.bootstrapped"), (.peerPulled(store), "peer.NORTE.pulled"),
            (.peerWaiting(store), "peer.NORTE.waiting"), (.erpExport(connection: 3), "erp.export.3"),
        ]
        for (key, name) in expected { #expect(key.name == name) }
    }
}
