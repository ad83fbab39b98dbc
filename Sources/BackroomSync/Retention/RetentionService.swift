import BackroomCore
import BackroomStorage
import Logging
import ServiceLifecycle

/// Runs retention every `period`, the first time a period after start (not during a restart's rush).
public struct RetentionService: Service {
    let retention: RetentionRun
    let readiness: StorageReadiness
    let period: Duration
    let clock: BackroomClock
    let logger: Logger

    public init(run: RetentionRun, readiness: StorageReadiness, period: Duration, clock: BackroomClock, logger: Logger) {
        retention = run
        self.readiness = readiness
        self.period = period
        self.clock = clock
        self.logger = logger
    }

    public func run() async throws {
        guard await readiness.wait() else { return }
        do {
            try await cancelWhenGracefulShutdown {
                while true {
                    try await clock.sleep(for: period)
                    do {
                        try await retention.run()
                    } catch is CancellationError {
                        return
                    } catch {
                        logger.warning("retention could not run; trying again later", metadata: ["error": "\(error)"])
                    }
                }
            }
        } catch is CancellationError {
            return
        }
    }
}
