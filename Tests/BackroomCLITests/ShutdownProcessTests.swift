import BackroomTestSupport
import Foundation
import Testing

/// A shutdown ends whatever the database does: an operator's SIGTERM to a central whose
/// PostgreSQL has gone away must not leave it running for a service manager to kill.
struct ShutdownProcessTests {
    @Test(.enabled(if: TestDatabase.allCases.contains(.postgresql)))
    func aCentralWhoseDatabaseIsGoneStillStopsOnSIGTERM() async throws {
        try await TestDatabase.postgresql.withFresh { fresh async throws in
            let url = try #require(URLComponents(string: fresh.url))
            let link = try await LinkCutter.start(to: try #require(url.port))
            var throughLink = url
            throughLink.port = link.port
            let server = try BackroomProcess.start(["serve", "--demo", "--port", "0", "--database", try #require(throughLink.string)])
            defer { server.signal(SIGKILL) }
            _ = try await server.listeningPort()

            await link.cut()
            server.signal(SIGTERM)
            #expect(await Poll.until(within: .seconds(30)) { !server.isRunning }, "still running 30 s after SIGTERM")
            let code = await server.waitForExit()
            // The pool gives up on the lost database by itself, often within the grace period (a
            // clean stop); when it does not, the stop is cut short and says so.
            #expect(code == 0 || server.stdout.contains("shutdown: still running after"), "exit \(code): \(server.stdout.suffix(2000))")
            await link.close()
        }
    }
}
