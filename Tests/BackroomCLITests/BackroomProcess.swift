import BackroomTestSupport
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

    /// The environment of the test run without any BACKROOM_ setting, plus what every process of
    /// the tests is given (their ERP folders lie in the temporary directory, their ERP endpoints
    /// listen on loopback, as an operator would allow them), plus `overrides`.
    static func environment(_ overrides: [String: String]) -> [String: String] {
        ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("BACKROOM_") || $0.key == "BACKROOM_TEST_POSTGRES_URL" }
            .merging(["BACKROOM_ERP_ROOT": FileManager.default.temporaryDirectory.path, "BACKROOM_CONNECTOR_ALLOW": "127.0.0.1"]) { $1 }
            .merging(overrides) { $1 }
    }

    static func run(_ arguments: [String], environment overrides: [String: String] = [:], in folder: URL? = nil) async throws -> Outcome {
        let running = try start(arguments, environment: overrides, in: folder)
        let status = await running.waitForExit()
        return Outcome(status: status, stdout: running.stdout, stderr: running.stderr)
    }

    static func start(_ arguments: [String], environment overrides: [String: String] = [:], in folder: URL? = nil) throws -> Running {
        // `env -C` sets the working directory: glibc's posix_spawn_file_actions_addchdir_np is
        // not visible to Swift.
        let folder = (folder ?? FileManager.default.temporaryDirectory).path
        return try Running(command: ["/usr/bin/env", "-C", folder, binary.path] + arguments, environment: environment(overrides))
    }

    /// A process started with `posix_spawn`, not Foundation's `Process`, whose `run()` crashed
    /// twice in `memcpy` when the suite started many processes (even one at a time).
    final class Running: Sendable {
        let pid: pid_t
        private let output = CapturedOutput()
        /// The exit status once reaped (a signal's number, like `Process`, when killed).
        private let exitStatus = Mutex<Int32?>(nil)

        init(command: [String], environment: [String: String]) throws {
            var stdoutPipe: [Int32] = [-1, -1]
            var stderrPipe: [Int32] = [-1, -1]
            guard pipe(&stdoutPipe) == 0, pipe(&stderrPipe) == 0 else { throw POSIXError(.EMFILE) }
            // Other children close them (below); this one gets them as its stdout and stderr.
            for descriptor in stdoutPipe + stderrPipe { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_adddup2(&actions, stdoutPipe[1], 1)
            posix_spawn_file_actions_adddup2(&actions, stderrPipe[1], 2)
            // Descriptors of other tests (their servers' sockets, their children's pipes) must
            // not live on in this child.
            for descriptor in Self.openDescriptors() where descriptor > 2 {
                posix_spawn_file_actions_addclose(&actions, descriptor)
            }
            var attributes = posix_spawnattr_t()
            posix_spawnattr_init(&attributes)
            defer { posix_spawnattr_destroy(&attributes) }
            posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
            let argv = command.map { strdup($0) } + [nil]
            let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
            defer { for pointer in argv + envp { free(pointer) } }
            var pid = pid_t()
            let spawned = posix_spawn(&pid, command[0], &actions, &attributes, argv, envp)
            close(stdoutPipe[1])
            close(stderrPipe[1])
            guard spawned == 0 else {
                close(stdoutPipe[0])
                close(stderrPipe[0])
                throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EIO)
            }
            self.pid = pid
            read(stdoutPipe[0]) { captured, text in captured.stdout += text }
            read(stderrPipe[0]) { captured, text in captured.stderr += text }
        }

        private static func openDescriptors() -> [Int32] {
            ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []).compactMap { Int32($0) }
        }

        /// Reads a pipe to its end on a thread of its own, a blocking read being what it is.
        private func read(_ descriptor: Int32, into keep: @escaping @Sendable (inout (stdout: String, stderr: String), String) -> Void) {
            let output = output
            Thread.detachNewThread {
                var buffer = [UInt8](repeating: 0, count: 65_536)
                while true {
                    let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
                    if count < 0, errno == EINTR { continue }
                    guard count > 0 else { break }
                    let text = String(decoding: buffer[0..<count], as: UTF8.self)
                    output.text.withLock { keep(&$0, text) }
                }
                close(descriptor)
                output.pipesEnded.withLock { $0 += 1 }
            }
        }

        var stdout: String { output.text.withLock { $0.stdout } }
        var stderr: String { output.text.withLock { $0.stderr } }

        var isRunning: Bool {
            exitStatus.withLock { exitStatus in
                guard exitStatus == nil else { return false }
                var status: Int32 = 0
                guard waitpid(pid, &status, WNOHANG) == pid else { return true }
                // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import as macros.
                exitStatus = status & 0x7F == 0 ? (status >> 8) & 0xFF : status & 0x7F
                return false
            }
        }

        func signal(_ signal: Int32) {
            if isRunning { kill(pid, signal) }
        }

        func waitForExit() async -> Int32 {
            _ = await Poll.until(within: .seconds(3600), every: .milliseconds(20)) { !isRunning }
            // What the process wrote last is read to the pipes' end (a grandchild holding them
            // open is given a second).
            _ = await Poll.until(within: .seconds(1), every: .milliseconds(20)) { output.pipesEnded.withLock { $0 } >= 2 }
            return exitStatus.withLock { $0 } ?? -1
        }

        /// The port from the server's "listening" log line, once it is there.
        func listeningPort(within limit: Duration = .seconds(60)) async throws -> Int {
            var port: Int?
            _ = await Poll.until(within: limit) {
                if let match = stdout.firstMatch(of: /listening.*url=https?:\/\/[^:]+:(\d+)|url=https?:\/\/[^:]+:(\d+).*listening/) {
                    port = Int(match.output.1 ?? match.output.2 ?? "")
                }
                return port != nil || !isRunning
            }
            guard let port else { throw NeverListened(stdout: stdout, stderr: stderr) }
            return port
        }
    }

    final class CapturedOutput: Sendable {
        let text = Mutex<(stdout: String, stderr: String)>(("", ""))
        /// How many of the two pipes have been read to their end.
        let pipesEnded = Mutex(0)
    }

    struct NeverListened: Error, CustomStringConvertible {
        let stdout: String
        let stderr: String
        var description: String { "server never listened\nstdout:\n\(stdout)\nstderr:\n\(stderr)" }
    }
}
