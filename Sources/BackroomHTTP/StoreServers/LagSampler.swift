import BackroomCore
import BackroomStorage
import Logging
import ServiceLifecycle

/// On central, reads how far behind each store is every `period`, for the console's lag charts
/// (which would otherwise have gaps whenever nobody was looking).
struct LagSampler: Service {
    let registry: RegistryReader
    let figures: RecentFigures
    let readiness: StorageReadiness
    let period: Duration
    let logger: Logger

    func run() async throws {
        guard await readiness.wait() else { return }
        while !Task.isShuttingDownGracefully {
            do {
                var lags: [ServerKey: Double] = [:]
                for row in try await registry.rows() {
                    if let waiting = row.waiting { lags[row.server.registration.key] = waiting.lagSeconds }
                }
                figures.recordLags(lags)
            } catch {
                logger.warning("could not sample the stores' lag", metadata: ["error": "\(error)"])
            }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: period) }
            } catch is CancellationError {
                return
            }
        }
    }
}
