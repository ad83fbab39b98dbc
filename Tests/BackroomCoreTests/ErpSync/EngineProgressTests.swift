import BackroomCore
import Testing

struct EngineProgressTests {
    static let round = EngineProgress.Round(startedAt: 1_000, finishedAt: 2_000, connections: 3, changes: 40, failed: ["NORTE"], complete: false)

    @Test func theStatusMessageSaysWhatTheEngineDoes() {
        #expect(EngineProgress().statusMessage(running: true) == [.waitingForFirstRound])
        #expect(EngineProgress().statusMessage(running: false) == [.stopped])
        let idle = EngineProgress(visiting: nil, lastRound: Self.round)
        let summary: [ErpText] = [.lastRound(millis: 2_000, connections: 3, changes: 40, errors: 1), .failedConnections("NORTE")]
        #expect(idle.statusMessage(running: true) == [.idleSince(millis: 2_000)] + summary)
        #expect(idle.statusMessage(running: false) == [.stopped] + summary)
        let clean = EngineProgress(lastRound: .init(startedAt: 1, finishedAt: 2, connections: 1, changes: 0))
        #expect(clean.statusMessage(running: true) == [.idleSince(millis: 2), .lastRound(millis: 2, connections: 1, changes: 0, errors: 0)])
        let ordered = EngineProgress(lastRound: .init(startedAt: 1, finishedAt: 2, connections: 2, changes: 0, order: ["ERP", "NORTE"]))
        #expect(ordered.statusMessage(running: true).last == .visitOrder("ERP, NORTE"), "priorities set the order, and it is said")
        let busy = EngineProgress(visiting: .init(name: "NORTE", index: 2, count: 5), lastRound: Self.round)
        #expect(busy.statusMessage(running: false) == [.syncing(name: "NORTE", index: 2, count: 5)], "a forced round runs while stopped")
    }

    @Test func itReadsBackAsWritten() {
        let progress = EngineProgress(visiting: .init(name: "ERP", index: 1, count: 2), lastRound: Self.round)
        #expect(EngineProgress(encoded: progress.encoded) == progress)
        let ordered = EngineProgress(lastRound: .init(startedAt: 1, finishedAt: 2, connections: 2, changes: 0, order: ["B", "A"], retryAt: 900))
        #expect(EngineProgress(encoded: ordered.encoded) == ordered)
        #expect(EngineProgress(encoded: "") == EngineProgress())
        #expect(EngineProgress(encoded: "{not json") == EngineProgress())
    }
}
