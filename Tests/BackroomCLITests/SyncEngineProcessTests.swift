import AsyncHTTPClient
import BackroomTestSupport
import Foundation
import NIOCore
import Testing

/// The sync engine in real `backroom serve` processes: one process at a time runs rounds and
/// another takes over when it dies; a shutdown in the middle of a round and a restart between
/// two exports neither lose nor repeat anything.
struct SyncEngineProcessTests {
    /// A call of the agent as admin; patient, since a forced round answers when it has run.
    static func agent(_ base: String, _ method: String, _ body: String? = nil) async throws -> (status: UInt, json: [String: Any]) {
        try await StoreLinkProcessTests.json(.POST, "\(base)/api/v1/Agents/ErpSync/\(method)", body: body, timeout: .seconds(120))
    }

    static func agentList(_ base: String, _ method: String, _ body: String = "{}") async throws -> [[String: Any]] {
        var request = HTTPClientRequest(url: "\(base)/api/v1/Agents/ErpSync/\(method)")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Basic " + Data("admin:admin".utf8).base64EncodedString())
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await ProcessHTTP.execute(request, timeout: .seconds(60))
        let bytes = try await response.body.collect(upTo: 16 << 20)
        return try JSONSerialization.jsonObject(with: Data(buffer: bytes)) as? [[String: Any]] ?? []
    }

    static func until(_ what: String, within limit: Duration = .seconds(60), _ condition: () async throws -> Bool) async throws {
        guard await Poll.until(within: limit, condition) else {
            Issue.record("timed out waiting until \(what)")
            throw CancellationError()
        }
    }

    static func files(_ folder: URL, _ part: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(part).path)) ?? []).filter { !$0.hasPrefix(".") }
            .sorted()
    }

    /// Every movement line in `out/`, as `ORIGIN:SEQUENCE`.
    static func exported(_ folder: URL) throws -> [String] {
        try files(folder, "out").flatMap { name in
            try String(contentsOf: folder.appendingPathComponent("out/\(name)"), encoding: .utf8).split(separator: "\n").map { line in
                let movement = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
                return "\(movement["origin"] ?? ""):\(movement["sequence"] ?? "")"
            }
        }
    }

    static let leads = "this process runs the rounds"

    /// The value of `backroom_engine_leaseholder` on a process's `/metrics`.
    static func leaseholder(_ base: String) async throws -> Double? {
        let metrics = try await StoreLinkProcessTests.text("\(base)/metrics")
        return metrics.split(separator: "\n").first { $0.hasPrefix("backroom_engine_leaseholder ") }.flatMap { Double($0.split(separator: " ")[1]) }
    }

    /// Two central processes on one database, the first running the rounds; both killed afterwards.
    static func withTwoProcesses(
        _ fresh: FreshDatabase,
        _ body: @Sendable (_ first: StoreLinkProcessTests.Linked, _ second: StoreLinkProcessTests.Linked) async throws -> Void
    ) async throws {
        let first = try BackroomProcess.start(["serve", "--demo", "--port", "0", "--database", fresh.url])
        defer { first.signal(SIGKILL) }
        let firstBase = "http://127.0.0.1:\(try await first.listeningPort())"
        try await until("the first process leads") { first.stdout.contains(leads) }
        let second = try BackroomProcess.start(["serve", "--port", "0", "--database", fresh.url])
        defer { second.signal(SIGKILL) }
        try await body(
            StoreLinkProcessTests.Linked(process: first, base: firstBase, database: fresh),
            StoreLinkProcessTests.Linked(process: second, base: "http://127.0.0.1:\(try await second.listeningPort())", database: fresh)
        )
    }

    @Test(arguments: TestDatabase.allCases)
    func anotherProcessTakesOverTheRoundsWhenTheOneRunningThemDies(_ database: TestDatabase) async throws {
        try await database.withFresh { fresh async throws in
            try await Self.withTwoProcesses(fresh) { first, second in
                #expect(try await Self.agent(first.base, "ChangeEngineInterval", #"{"Interval": "00:00:01"}"#).status == 204)
                // Both answer alike, whichever runs the rounds: the settings are the database's.
                #expect(try await Self.agent(second.base, "GetEngineStatus").json["Interval"] as? String == "00:00:01")
                let forced = try await Self.agent(second.base, "ForceSyncAll").json
                #expect((forced["UserExplanation"] as? String)?.hasPrefix("Round done") == true, "the leader ran the round asked of the other")
                #expect(!second.process.stdout.contains(Self.leads), "one process at a time")
                let (firstHolds, secondHolds) = (try await Self.leaseholder(first.base), try await Self.leaseholder(second.base))
                #expect(firstHolds == 1 && secondHolds == 0, "and /metrics says which")

                first.process.signal(SIGKILL)
                try await Self.until("the second process leads", within: .seconds(10)) { second.process.stdout.contains(Self.leads) }
                #expect(try await Self.leaseholder(second.base) == 1)
                let killedAt = Date().timeIntervalSince1970 * 1000
                let after = try await Self.agent(second.base, "ForceSyncAll").json
                #expect((after["UserExplanation"] as? String)?.hasPrefix("Round done") == true, "\(after)")
                // Rounds go on by themselves every interval, now on the second process.
                try await Self.until("a round by itself") {
                    let message = try await Self.agent(second.base, "GetEngineStatus").json["StatusMessage"] as? String ?? ""
                    return message.hasPrefix("Idle since") && !message.contains("0 connections")
                }
                #expect(Date().timeIntervalSince1970 * 1000 - killedAt < 30_000)
            }
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func connectionsChangedThroughOneProcessAreVisitedByTheOneRunningTheRounds(_ database: TestDatabase) async throws {
        try await database.withFresh { fresh async throws in
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("backroom-erp-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: root) }
            let folders = [root.appendingPathComponent("first"), root.appendingPathComponent("second")]
            for folder in folders { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
            try await Self.withTwoProcesses(fresh) { first, second in

                // Made through the process that does not run the rounds, visited by the one that does.
                let made = try await Self.agent(
                    second.base,
                    "SaveConnection",
                    #"{"Connection": {"ErpConnectionId": 0, "ErpConnectorId": 3, "ConfigFields": {"folder": "\#(folders[0].path)"}}}"#
                )
                let id = try #require(made.json["ErpConnectionId"] as? Int)
                _ = try await Self.agent(second.base, "ForceSyncAll")
                #expect(try Self.exported(folders[0]).count == 10_003, "the demo's movements")
                #expect(!second.process.stdout.contains(Self.leads))

                // Its folder changed through the other: the next visit writes there.
                let moved = try await Self.agent(
                    first.base,
                    "SaveConnection",
                    #"{"Connection": {"ErpConnectionId": \#(id), "ConfigFields": {"folder": "\#(folders[1].path)"}}}"#
                )
                #expect(moved.status == 200)
                #expect(try await StoreLinkProcessTests.sell(second.base, "First-Test", key: "sale-1") == 201)
                _ = try await Self.agent(second.base, "ForceSyncAll")
                #expect(try Self.exported(folders[1]) == ["CENTRAL:10004"])
                #expect(try Self.exported(folders[0]).count == 10_003, "the old folder is left as it was")

                // Deleted through one, never visited again.
                #expect(try await Self.agent(second.base, "DeleteConnection", #"{"ErpConnectionId": \#(id)}"#).status == 204)
                #expect(try await StoreLinkProcessTests.sell(first.base, "First-Test", key: "sale-2") == 201)
                _ = try await Self.agent(second.base, "ForceSyncAll")
                #expect(try Self.exported(folders[1]) == ["CENTRAL:10004"])
            }
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aShutdownInTheMiddleOfARoundLosesAndRepeatsNothing(_ database: TestDatabase) async throws {
        try await database.withFresh { fresh async throws in
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("backroom-erp-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            #expect(try await BackroomProcess.run(["migrate", "--database", fresh.url]).status == 0)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let added = try await BackroomProcess.run(["connection", "add", "erp-files", "--folder", folder.path, "--database", fresh.url])
            #expect(added.status == 0 && added.stdout.hasPrefix("connection 1 added: ERP"), "\(added.stderr)")
            let inbox = folder.appendingPathComponent("in")
            try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
            // Enough files that a loaded machine still sees the round under way when it is stopped
            // (with 1,000 a round once ended before a starved test process sent the signal).
            let count = 2500
            for index in 1...count {
                try "shop,id,qty\n10010,First-Test,1\n".write(
                    to: inbox.appendingPathComponent(String(format: "r-%04d.csv", index)),
                    atomically: true,
                    encoding: .utf8
                )
            }

            let server = try BackroomProcess.start(["serve", "--demo", "--port", "0", "--database", fresh.url])
            defer { server.signal(SIGKILL) }
            _ = try await server.listeningPort()
            try await Self.until("the round has imported some files") { Self.files(folder, "done").count >= 5 }
            server.signal(SIGTERM)
            #expect(await server.waitForExit() == 0)
            let done = Self.files(folder, "done").count
            #expect(done < count, "the shutdown stopped the round between files")
            #expect(done + Self.files(folder, "in").count == count && Self.files(folder, "failed").isEmpty)

            let restarted = try BackroomProcess.start(["serve", "--port", "0", "--database", fresh.url])
            defer { restarted.signal(SIGKILL) }
            let base = "http://127.0.0.1:\(try await restarted.listeningPort())"
            let onHand = try #require(try await StoreLinkProcessTests.onHand(base, "First-Test"))
            #expect(onHand >= 100 + done && onHand <= 100 + count, "what was imported, counted once (the new round is under way)")
            // The new process's first round takes up the rest by itself.
            try await Self.until("every file is imported and every movement exported", within: .seconds(240)) {
                guard Self.files(folder, "in").isEmpty else { return false }
                return try Self.exported(folder).count >= 10_003 + count
            }
            #expect(Self.files(folder, "done").count == count)
            #expect(try await StoreLinkProcessTests.onHand(base, "First-Test") == 100 + count)
            let exported = try Self.exported(folder)
            #expect(exported.count == 10_003 + count, "the demo's counts in both shops and every receipt")
            #expect(Set(exported).count == exported.count, "each movement once")
        }
    }

    @Test func aRestartBetweenTwoExportsWritesEachMovementOnce() async throws {
        try await TestDatabase.sqlite.withFresh { fresh async throws in
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("backroom-erp-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            #expect(try await BackroomProcess.run(["migrate", "--database", fresh.url]).status == 0)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            #expect(try await BackroomProcess.run(["connection", "add", "erp-files", "--folder", folder.path, "--database", fresh.url]).status == 0)

            let first = try BackroomProcess.start(["serve", "--demo", "--port", "0", "--database", fresh.url])
            defer { first.signal(SIGKILL) }
            var base = "http://127.0.0.1:\(try await first.listeningPort())"
            #expect(try await StoreLinkProcessTests.sell(base, "First-Test", key: "sale-1") == 201)
            _ = try await Self.agent(base, "ForceSyncAll")
            let before = try Self.exported(folder)
            #expect(before.count == 10_004 && before.last == "CENTRAL:10004", "the demo's counts and the sale")
            first.signal(SIGTERM)
            #expect(await first.waitForExit() == 0)

            // Offline, an operator counts stock: a movement that arises between two exports.
            #expect(
                try await BackroomProcess.run(["stock", "set", "--shop", "10010", "--product", "Second-Test", "--qty", "9", "--database", fresh.url])
                    .status == 0
            )
            let second = try BackroomProcess.start(["serve", "--port", "0", "--database", fresh.url])
            defer { second.signal(SIGKILL) }
            base = "http://127.0.0.1:\(try await second.listeningPort())"
            #expect(try await StoreLinkProcessTests.sell(base, "First-Test", key: "sale-2") == 201)
            _ = try await Self.agent(base, "ForceSyncAll")
            let after = try Self.exported(folder)
            #expect(Array(after.prefix(before.count)) == before, "the first export is left as it was")
            #expect(Array(after.dropFirst(before.count)) == ["CENTRAL:10005", "CENTRAL:10006"])
            #expect(Self.files(folder, "out").allSatisfy { $0.hasPrefix("movements-") && $0.hasSuffix(".jsonl") })
        }
    }
}
