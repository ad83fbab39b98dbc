import BackroomTestSupport
import Foundation
import Testing

/// Central on a primary PostgreSQL with a synchronous standby (`scripts/lib/postgres-pair.sh`),
/// its URL naming both (`target_session_attrs=read-write`): the primary is lost, the standby
/// promoted, and central goes on with it by itself, every acknowledged reservation still there.
struct DatabaseFailoverProcessTests {
    static let pairScript = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/lib/postgres-pair.sh").path

    static func pair(_ command: String, _ folder: String) async throws -> String {
        let script = try BackroomProcess.Running(
            command: ["/bin/bash", "-c", "source \"$0\" && \(command) \"$1\"", pairScript, folder],
            environment: ProcessInfo.processInfo.environment
        )
        // The servers it starts inherit its output: its end is its exit, not the pipe's close.
        guard await script.waitForExit() == 0 else { throw PairFailed(output: script.stdout + script.stderr) }
        return script.stdout
    }

    struct PairFailed: Error, CustomStringConvertible {
        let output: String
        var description: String { "postgres-pair.sh failed: \(output)" }
    }

    @Test func centralFollowsAPromotedStandbyAndLosesNothingAcknowledged() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("backroom-pair-\(UUID().uuidString)").path
        defer {
            // Stopped even when the test fails; `defer` cannot wait, so a process of its own.
            _ = try? BackroomProcess.Running(
                command: ["/bin/bash", "-c", "source \"$0\" && pair_stop \"$1\"", Self.pairScript, folder],
                environment: ProcessInfo.processInfo.environment
            )
        }
        let started = try await Self.pair("pair_start", folder).split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        try #require(started.count == 3)
        let url =
            "postgres://backroom:\(started[2])@127.0.0.1:\(started[0]),127.0.0.1:\(started[1])/postgres?sslmode=disable&target_session_attrs=read-write"
        let central = try BackroomProcess.start(["serve", "--demo", "--port", "0", "--database", url])
        defer { central.signal(SIGKILL) }
        let base = "http://127.0.0.1:\(try await central.listeningPort())"

        var acknowledged: [String] = []
        for _ in 0..<2 {
            let made = try await StoreLinkProcessTests.reserve(base)
            #expect(made.status == 201)
            if let location = made.location { acknowledged.append(location) }
        }
        _ = try await Self.pair("pair_fail", folder)
        var refusals: [String] = []
        #expect(
            try await StoreLinkProcessTests.eventually {
                let made = try await StoreLinkProcessTests.reserve(base)
                if made.status == 201, let location = made.location {
                    acknowledged.append(location)
                } else {
                    refusals.append("\(made.status) \(made.codes)")
                }
                return made.status == 201
            },
            "central takes reservations again on the promoted standby"
        )
        #expect(
            refusals.allSatisfy { $0 == "503 [\"503\"]" },
            "in the gap, try again (503), never an internal error: \(refusals) \(central.stdout.split(separator: "\n").filter { $0.contains("unhandled") })"
        )
        #expect(central.stdout.contains("database server in use changed"))
        #expect(acknowledged.count == 3)
        for location in acknowledged {
            #expect(try await StoreLinkProcessTests.json(.GET, base + location).status == 200, "\(location) survived")
        }
        let atp = try await StoreLinkProcessTests.json(.GET, "\(base)/servlets/services/atp/10010/Second-Test")
        #expect((atp.json["data"] as? [[String: Any]])?.first?["reserved"] as? Int == 3, "each held once, none twice")
    }
}
