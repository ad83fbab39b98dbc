import Foundation
import Synchronization

/// The `backroom` executable run as a separate process, as an operator or a test harness would.
struct BackroomProcess {
    struct Outcome {
        let status: Int32
        let stdout: String
        let stderr: String

        var stderrLines: [String] { stderr.split(whereSeparator: \.isNewline).map(String.init) }
    }

    static var binary: URL {
        if let override = ProcessInfo.processInfo.environment["BACKROOM_BINARY"] {
            return URL(fileURLWithPath: override)
        }
        // The test bundle is built next to the products it depends on.
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("backroom")
    }

    /// The environment of the test run without any BACKROOM_ setting, plus `overrides`.
    static func environment(_ overrides: [String: String]) -> [String: String] {
        ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("BACKROOM_") || $0.key == "BACKROOM_TEST_POSTGRES_URL" }
            .merging(overrides) { $1 }
    }

    static func run(_ arguments: [String], environment overrides: [String: String] = [:], in folder: URL? = nil) async throws -> Outcome {
        let running = try start(arguments, environment: overrides, in: folder)
        let status = await running.waitForExit()
        return Outcome(status: status, stdout: running.stdout, stderr: running.stderr)
    }

    static func start(_ arguments: [String], environment overrides: [String: String] = [:], in folder: URL? = nil) throws -> Running {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.environment = environment(overrides)
        process.currentDirectoryURL = folder ?? FileManager.default.temporaryDirectory
        let running = Running(process: process)
        try launching.withLock { _ in try process.run() }
        return running
    }

    /// Foundation's `Process.run()` crashed once in `memcpy` while another test launched a
    /// process at the same moment; launches are one at a time.
    private static let launching = Mutex(())

    final class Running: Sendable {
        private let process: Process
        private let output = CapturedOutput()

        init(process: Process) {
            self.process = process
            let stdout = Pipe()
            let stderr = Pipe()
            process.standardOutput = stdout
            process.standardError = stderr
            process.standardInput = FileHandle.nullDevice
            stdout.fileHandleForReading.readabilityHandler = { [output] handle in
                let text = String(decoding: handle.availableData, as: UTF8.self)
                output.text.withLock { $0.stdout += text }
            }
            stderr.fileHandleForReading.readabilityHandler = { [output] handle in
                let text = String(decoding: handle.availableData, as: UTF8.self)
                output.text.withLock { $0.stderr += text }
            }
        }

        var stdout: String { output.text.withLock { $0.stdout } }
        var stderr: String { output.text.withLock { $0.stderr } }
        var isRunning: Bool { process.isRunning }

        func signal(_ signal: Int32) {
            kill(process.processIdentifier, signal)
        }

        func waitForExit() async -> Int32 {
            while process.isRunning {
                try? await Task.sleep(for: .milliseconds(20))
            }
            // Let the pipes deliver what the process wrote last.
            try? await Task.sleep(for: .milliseconds(100))
            return process.terminationStatus
        }

        /// The port from the server's "listening" log line, once it is there.
        func listeningPort(within limit: Duration = .seconds(60)) async throws -> Int {
            let deadline = ContinuousClock.now + limit
            while ContinuousClock.now < deadline {
                if let match = stdout.firstMatch(of: /listening.*url=http:\/\/[^:]+:(\d+)|url=http:\/\/[^:]+:(\d+).*listening/),
                   let port = Int(match.output.1 ?? match.output.2 ?? "")
                {
                    return port
                }
                guard process.isRunning else { throw NeverListened(stdout: stdout, stderr: stderr) }
                try await Task.sleep(for: .milliseconds(50))
            }
            throw NeverListened(stdout: stdout, stderr: stderr)
        }
    }

    final class CapturedOutput: Sendable {
        let text = Mutex<(stdout: String, stderr: String)>(("", ""))
    }

    struct NeverListened: Error, CustomStringConvertible {
        let stdout: String
        let stderr: String
        var description: String { "server never listened\nstdout:\n\(stdout)\nstderr:\n\(stderr)" }
    }
}
