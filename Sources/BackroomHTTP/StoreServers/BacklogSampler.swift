import BackroomCore
import BackroomStorage
import Logging
import ServiceLifecycle

/// On central, counts what waits for each store and how far behind it is every `period`: the
/// figures the console's pages, their live rows and `/metrics` show, and the lag charts' readings
/// (which would otherwise have gaps whenever nobody was looking). One count for everybody, where
/// each page and each scrape counting for itself would read every waiting movement each time.
struct BacklogSampler: Service {
    let registry: RegistryReader
    let figures: RecentFigures
    let readiness: StorageReadiness
    let period: Duration
    let clock: BackroomClock
    let logger: Logger

    func run() async throws {
        guard await readiness.wait() else { return }
        while !Task.isShuttingDownGracefully {
            do {
                var counted: [ServerKey: RegisteredServer.Waiting] = [:]
                for row in try await registry.rows() {
                    if let waiting = row.waiting { counted[row.server.registration.key] = waiting }
                }
                figures.recordBacklogs(counted)
            } catch {
                logger.warning("could not count what waits for the stores", metadata: ["error": "\(error)"])
            }
            do {
                try await cancelWhenGracefulShutdown { try await clock.sleep(for: period) }
            } catch is CancellationError {
                return
            }
        }
    }
}
