import AsyncHTTPClient
import BackroomTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// The HTTP connector against an ERP that fails, loses answers, answers late and is cut off,
/// with central killed in the middle of a batch and at random moments: the ERP takes every
/// movement once, in each origin's order.
@Suite(.serialized)
struct HTTPConnectorProcessTests {
    @Test(arguments: TestDatabase.allCases)
    func everyMovementReachesTheERPOnceThroughOutagesAndAKill(_ database: TestDatabase) async throws {
        let erp = ReceivingERP()
        try await erp.application.test(.live) { erpClient in
            let link = try await LinkCutter.start(to: try #require(erpClient.port))
            defer { Task { await link.close() } }
            try await database.withFresh { fresh async throws in
                let db = ["--database", fresh.url]
                let key = FileManager.default.temporaryDirectory.appendingPathComponent("backroom-key-\(UUID().uuidString)").path
                defer { try? FileManager.default.removeItem(atPath: key) }
                let secret = ["BACKROOM_SECRET_KEY_FILE": key]
                #expect(try await BackroomProcess.run(["migrate"] + db).status == 0)
                let added = try await BackroomProcess.run(
                    [
                        "connection", "add", "--type", "http", "--url", "http://127.0.0.1:\(link.port)/erp", "--batch-size", "500",
                        "--timeout-seconds", "2",
                    ] + db,
                    environment: secret.merging(["BACKROOM_CONNECTION_TOKEN": ReceivingERP.token]) { $1 }
                )
                #expect(added.status == 0, "\(added.stderr)")
                // Refused twice, an answer lost, one too late for the connection's time-out.
                erp.then([.refuse, .refuse, .loseTheAnswer, .answerLate(.seconds(3))])

                var central = try BackroomProcess.start(["serve", "--demo", "--port", "0"] + db, environment: secret)
                defer { central.signal(SIGKILL) }
                var base = "http://127.0.0.1:\(try await central.listeningPort())"
                #expect(try await SyncEngineProcessTests.agent(base, "ChangeEngineInterval", #"{"Interval": "00:00:01"}"#).status == 204)
                try await SyncEngineProcessTests.until("the ERP has taken some batches", within: .seconds(120)) {
                    erp.received.movements.count >= 1500
                }
                // Killed while the ERP holds a batch it has taken: that answer never arrives.
                erp.then([.answerLate(.seconds(1))])
                try await SyncEngineProcessTests.until("a batch is in flight") { erp.coming.withLock { $0.isEmpty } }
                central.signal(SIGKILL)
                _ = await central.waitForExit()
                // Then at moments no one chose, while a slow ERP takes its time: before a batch is
                // noted, while it is sent, after it is taken but before the cursor moves.
                erp.then(Array(repeating: .answerLate(.milliseconds(150)), count: 40))
                var random = SeededRandom(for: "HTTP connector kills")
                for _ in 1...3 {
                    central = try BackroomProcess.start(["serve", "--port", "0"] + db, environment: secret)
                    _ = try await central.listeningPort()
                    try await Poll.pause(.milliseconds(Int.random(in: 200...1500, using: &random)))
                    central.signal(SIGKILL)
                    _ = await central.waitForExit()
                }

                // The ERP is down for a while; sales go on.
                await link.cut()
                central = try BackroomProcess.start(["serve", "--port", "0"] + db, environment: secret)
                base = "http://127.0.0.1:\(try await central.listeningPort())"
                for sale in 1...5 {
                    #expect(try await StoreLinkProcessTests.sell(base, "First-Test", key: "sale-\(sale)") == 201)
                }
                try await SyncEngineProcessTests.until("a delivery failed while the ERP was down") {
                    (try await SyncEngineProcessTests.agent(base, "GetEngineStatus").json["StatusMessage"] as? String)?.contains("Failed") == true
                }
                link.restore()

                let expected = (1...10_008).map { "CENTRAL:\($0)" }
                try await SyncEngineProcessTests.until("the ERP has every movement", within: .seconds(120)) {
                    erp.received.movements.count >= expected.count
                }
                let received = erp.received
                let repeated = received.movements.count - Set(received.movements).count
                let firstOutOfPlace = zip(received.movements, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                #expect(
                    repeated == 0 && firstOutOfPlace == nil && received.movements.count == expected.count,
                    "each movement once, in its origin's order"
                )
                #expect(received.authorizations == ["Bearer \(ReceivingERP.token)"])
                #expect(received.requests > received.keys.count, "batches were sent again after failures")
                let id = try #require(added.stdout.split(separator: " ").dropFirst().first.map(String.init))
                let listed = try await SyncEngineProcessTests.agent(base, "GetErpConnectionConfigFields", #"{"ErpConnectionId": \#(id)}"#)
                #expect(listed.json["token"] == nil && listed.json["batchSize"] as? String == "500", "the token is never listed")
                central.signal(SIGTERM)
                _ = await central.waitForExit()
                for text in [central.stdout, central.stderr, added.stdout, added.stderr] {
                    #expect(!text.contains(ReceivingERP.token), "the token is never logged")
                }
            }
        }
    }
}
