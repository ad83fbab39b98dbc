import BackroomCore
import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import UnixSignals

/// Keeps a shutdown from outlasting its bound, whatever the database does: the service group
/// cancels what has not stopped within `grace` (a visit or request waiting on a database that
/// is gone), and if even that has not ended the process by `hardLimit`, it says what was still
/// running and exits non-zero. A service manager never has to kill Backroom.
final class ShutdownBound: Sendable {
    static let grace = Duration.seconds(7)
    static let hardLimit = Duration.seconds(9)

    private let running = Mutex<[String]>([])
    private let cut = Mutex(false)
    private let logger: Logger
    private let clock: BackroomClock

    init(clock: BackroomClock, logger: Logger) {
        self.clock = clock
        self.logger = logger
    }

    /// `service`, noted as running until it returns, so that an abandoned shutdown can say what it left.
    func tracked(_ service: any Service, named name: String) -> any Service {
        Tracked(name: name, service: service, bound: self)
    }

    /// Waits for SIGTERM or SIGINT; says what is still running when the grace has passed (the
    /// service group cancels it then), and ends the process if it has not ended by `hardLimit`.
    func watch() async {
        for await signal in await UnixSignalsSequence(trapping: .sigterm, .sigint) {
            logger.notice("shutting down: finishing what is under way", metadata: ["signal": "\(signal)"])
            guard (try? await clock.sleep(for: Self.grace)) != nil else { return }
            cut.withLock { $0 = true }
            logger.error("shutdown: still running after \(Self.grace), cancelled", metadata: ["services": "\(stillRunning)"])
            guard (try? await clock.sleep(for: Self.hardLimit - Self.grace)) != nil else { return }
            logger.critical("shutdown did not end within \(Self.hardLimit); abandoned", metadata: ["services": "\(stillRunning)"])
            exit(2)
        }
    }

    /// Whether the shutdown outlasted its grace, so that what was left had to be cancelled.
    var wasCut: Bool { cut.withLock { $0 } }

    var stillRunning: String { running.withLock { $0.joined(separator: ", ") } }

    private struct Tracked: Service {
        let name: String
        let service: any Service
        let bound: ShutdownBound

        func run() async throws {
            bound.running.withLock { $0.append(name) }
            defer { bound.running.withLock { $0.removeAll { $0 == name } } }
            try await service.run()
        }
    }
}
