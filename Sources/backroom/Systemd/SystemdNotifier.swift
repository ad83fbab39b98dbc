import BackroomCore
import Foundation
import ServiceLifecycle

/// systemd's notification protocol (sd_notify(3)) without libsystemd: one datagram per state
/// to the socket `NOTIFY_SOCKET` names (`@` for Linux's abstract namespace). Outside systemd
/// there is no socket and nothing is sent.
struct SystemdNotifier: Sendable {
    let socketPath: String

    init?(environment: [String: String] = ProcessInfo.processInfo.environment) {
        guard let path = environment["NOTIFY_SOCKET"], path.hasPrefix("/") || path.hasPrefix("@"), path.utf8.count < 108 else { return nil }
        socketPath = path
    }

    /// Sends `state` (`READY=1`, `WATCHDOG=1`, `STOPPING=1`, `STATUS=...`); a lost datagram is
    /// systemd's to notice, never a reason to stop.
    func send(_ state: String) {
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(socketPath.utf8)
        // An abstract address starts with a zero byte where the text has '@'.
        if bytes.first == UInt8(ascii: "@") { bytes[0] = 0 }
        withUnsafeMutableBytes(of: &address.sun_path) { path in path.copyBytes(from: bytes) }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count)
        _ = state.utf8CString.withUnsafeBufferPointer { message in
            withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                    sendto(descriptor, message.baseAddress, message.count - 1, Int32(MSG_NOSIGNAL), socketAddress, length)
                }
            }
        }
    }
}

/// Tells systemd the server is stopping once a graceful shutdown starts, and, when the unit
/// has `WatchdogSec=`, pings its watchdog until then: a process that hangs stops pinging and
/// systemd restarts it.
struct SystemdService<C: Clock>: Service where C.Duration == Duration {
    let notifier: SystemdNotifier
    let watchdogInterval: Duration?
    let clock: C

    func run() async throws {
        if let interval = watchdogInterval {
            while !Task.isShuttingDownGracefully, !Task.isCancelled {
                notifier.send("WATCHDOG=1")
                try? await cancelWhenGracefulShutdown { try await clock.sleep(for: interval) }
            }
        } else {
            try? await gracefulShutdown()
        }
        notifier.send("STOPPING=1")
    }
}
