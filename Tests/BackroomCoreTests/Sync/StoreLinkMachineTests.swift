import BackroomCore
import Testing

/// The store link's decisions, without a central or a database.
struct StoreLinkMachineTests {
    static let urls = ["http://central-a", "http://central-b"]

    static func failure(_ status: Int?, token: String = "configured", older: Bool = false) -> StoreLinkMachine.Failure {
        StoreLinkMachine.Failure(status: status, centralIsOlder: older, reason: "refused", tokenUsed: token)
    }

    @Test func aCentralThatStopsAnsweringIsLeftForTheNextAtOnceUntilEachHasFailed() {
        var machine = StoreLinkMachine(urls: Self.urls, token: "configured")
        #expect(
            machine.failed(.pull, Self.failure(nil), at: 1)
                == .retry(failedURL: "http://central-a", movedTo: "http://central-b", backOffFailures: nil)
        )
        #expect(machine.centralURL == "http://central-b" && machine.lastError == "http://central-a: refused")
        // The push loop failed on the first URL too: the pull loop moved on already.
        #expect(
            machine.failed(.push, Self.failure(503), at: 2)
                == .retry(failedURL: "http://central-b", movedTo: "http://central-a", backOffFailures: nil)
        )
        #expect(
            machine.failed(.pull, Self.failure(502), at: 3) == .retry(failedURL: "http://central-a", movedTo: "http://central-b", backOffFailures: 2)
        )
        // A refusal is no reason to try another central: it backs off.
        #expect(machine.failed(.push, Self.failure(500), at: 4) == .retry(failedURL: "http://central-b", movedTo: nil, backOffFailures: 2))
        machine.succeeded(.push)
        #expect(machine.failed(.push, Self.failure(500), at: 5) == .retry(failedURL: "http://central-b", movedTo: nil, backOffFailures: 1))
    }

    @Test func aSingleCentralIsNeverLeftAndBacksOff() {
        var machine = StoreLinkMachine(urls: ["http://central"], token: "configured")
        #expect(machine.failed(.pull, Self.failure(nil), at: 1) == .retry(failedURL: "http://central", movedTo: nil, backOffFailures: 1))
        #expect(machine.failed(.pull, Self.failure(nil), at: 2) == .retry(failedURL: "http://central", movedTo: nil, backOffFailures: 2))
    }

    @Test func aGivenTokenCentralRefusesIsForgottenForTheConfiguredOne() {
        var machine = StoreLinkMachine(urls: Self.urls, token: "configured")
        machine.use(givenToken: "given")
        #expect(machine.token == "given")
        #expect(machine.failed(.pull, Self.failure(401, token: "given"), at: 1) == .forgetGivenToken)
        #expect(machine.token == "configured" && machine.status == .offline && machine.lastError == nil, "no failure counted")
        // A refusal of the configured token is a failure like any other.
        #expect(machine.failed(.pull, Self.failure(401), at: 2) == .retry(failedURL: "http://central-a", movedTo: nil, backOffFailures: 1))
    }

    @Test func aRequestSentWithATokenReplacedMeanwhileIsSentAgainAtOnce() {
        var machine = StoreLinkMachine(urls: Self.urls, token: "configured")
        machine.use(givenToken: "given")
        #expect(machine.failed(.push, Self.failure(401, token: "configured"), at: 1) == .retryWithNewToken)
        #expect(machine.lastError == nil)
    }

    @Test func aPullAnswerIsTakenInOrderTokenResyncRestoresThenThePage() {
        var machine = StoreLinkMachine(urls: Self.urls, token: "t1")
        let mark = RestoreMark(id: "r1", heads: [:])
        func decide(token: String? = nil, resync: String? = nil, held: Int64? = nil, restores: [RestoreMark] = []) -> StoreLinkMachine.PullDecision {
            machine.decide(nextToken: token, tokenUsed: "t1", resync: resync, resynced: "old", held: held, pushed: 10, unappliedRestores: restores)
        }
        #expect(decide(token: "t2", resync: "new", held: 5, restores: [mark]) == .keepToken("t2"))
        #expect(machine.token == "t1", "used only once kept")
        #expect(decide(token: "t1", resync: "new", held: 5, restores: [mark]) == .startOver(resync: "new"))
        #expect(decide(resync: "old", held: 5, restores: [mark]) == .forget([mark], pushAgain: true))
        #expect(decide(held: 10) == .apply(pushAgain: false))
        machine.recoveredOwnMovements()
        #expect(decide(held: 9) == .apply(pushAgain: true))
        #expect(!machine.recovered, "the push loop squares the movements again")
    }

    @Test func aStoreComesOnThroughTONAndWaitsAtCentralOnlyOnceCaughtUpAndOn() {
        var machine = StoreLinkMachine(urls: Self.urls, token: "t")
        machine.loaded(fresh: true)
        #expect(machine.pullWaitSeconds == 0)
        #expect(machine.pulled(movements: 1000, more: true, elapsedMillis: 100) == 0, "more waits: at once")
        machine.worked(at: 1)
        #expect(machine.status == .transitionToOnline)
        #expect(machine.pulled(movements: 3, more: false, elapsedMillis: 100) == 400, "pulls spaced by half a second")
        machine.counted(recorded: 5, pushed: 4)
        machine.worked(at: 2)
        #expect(machine.status == .transitionToOnline, "a movement still waits to be pushed")
        machine.counted(recorded: 5, pushed: 5)
        machine.worked(at: 3)
        #expect(machine.status == .online && machine.pullWaitSeconds == LongPoll.longestWaitSeconds)
        #expect(machine.moved == 1003 && machine.lastExchangeAt == 3)
        _ = machine.failed(.pull, Self.failure(nil), at: 10)
        #expect(machine.status == .transitionToOffline && machine.pullWaitSeconds == 0)
        machine.timePassed(to: 15, waitMillis: 10)
        #expect(machine.status == .transitionToOffline)
        machine.timePassed(to: 20, waitMillis: 10)
        #expect(machine.status == .offline)
    }

    @Test func anOlderCentralIsSentNothingUntilItAnswersInTheStoresProtocol() {
        var machine = StoreLinkMachine(urls: Self.urls, token: "t")
        machine.loaded(fresh: true)
        #expect(machine.maySend)
        _ = machine.failed(.push, Self.failure(409, older: true), at: 1)
        #expect(!machine.maySend)
        let wasOlder = machine.heardCentral()
        #expect(wasOlder)
        let again = machine.heardCentral()
        #expect(machine.maySend && !again)
    }
}
