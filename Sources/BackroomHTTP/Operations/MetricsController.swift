import BackroomCore
import BackroomStorage
import Foundation
import Hummingbird
import Metrics
import Prometheus
import Synchronization

/// `GET /metrics`: every swift-metrics metric of the process in Prometheus' text format. This
/// build's release (`backroom_build_info`), the figures of the registry (stores by status, what
/// each runs, how old each store's known status is) and the
/// database connections in use are read when scraped, as they are now; what waits to sync each
/// way per store and how far behind each store is, as `BacklogSampler` last counted.
struct MetricsController {
    let registry: RegistryReader
    let figures: RecentFigures
    let database: any Database
    let clock: BackroomClock

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("metrics") { _, _ in
            let own = PeerSoftware.current
            Gauge(label: "backroom_build_info", dimensions: [("version", own.version), ("sync_protocol", String(own.syncProtocol))]).record(1)
            try await recordRegistry()
            let connections = try await database.connectionUse()
            Gauge(label: "backroom_database_connections", dimensions: [("state", "open")]).record(connections.open)
            Gauge(label: "backroom_database_connections", dimensions: [("state", "in_use")]).record(connections.inUse)
            var text: [UInt8] = []
            ProcessMetrics.registry.emit(into: &text)
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: text))
            )
        }
    }

    /// The release each store's series was last labelled with, so that an upgraded store's old
    /// series drops to 0 instead of both reading 1.
    private static let labelled = Mutex<[String: PeerSoftware]>([:])

    private static func recordSoftware(_ software: PeerSoftware, of store: String) {
        func info(_ software: PeerSoftware) -> Metrics.Gauge {
            Gauge(
                label: "backroom_store_info",
                dimensions: [("store", store), ("version", software.version), ("sync_protocol", String(software.syncProtocol))]
            )
        }
        let before = labelled.withLock { labelled in
            defer { labelled[store] = software }
            return labelled[store]
        }
        if let before, before != software { info(before).record(0) }
        info(software).record(1)
        Gauge(label: "backroom_store_sync_protocol", dimensions: [("store", store)]).record(software.syncProtocol)
    }

    private func recordRegistry() async throws {
        let rows = try await registry.rows(counted: figures.backlogs()).filter { $0.server.registration.type == .store }
        for status in ServerStatus.allCases {
            Gauge(label: "backroom_stores", dimensions: [("status", status.rawValue)]).record(rows.filter { $0.status == status }.count)
        }
        let now = clock.nowMillis()
        for row in rows {
            let store = row.server.registration.key.value
            if let waiting = row.waiting {
                Gauge(label: "backroom_store_backlog_movements", dimensions: [("store", store), ("direction", "to_store")]).record(waiting.toStore)
                Gauge(label: "backroom_store_replication_lag_seconds", dimensions: [("store", store)]).record(waiting.lagSeconds)
                if let fromStore = waiting.fromStore {
                    Gauge(label: "backroom_store_backlog_movements", dimensions: [("store", store), ("direction", "from_store")]).record(fromStore)
                }
            }
            if let software = row.server.software {
                Self.recordSoftware(software, of: store)
            }
            if let updated = row.server.updatedAt {
                Gauge(label: "backroom_store_status_age_seconds", dimensions: [("store", store)]).record(Double(max(0, now - updated)) / 1000)
            }
        }
    }
}

/// swift-metrics can be bootstrapped once per process, however many servers a process runs
/// (tests run several), so the registry is created and installed exactly once: by `bootstrap()`,
/// where the process bootstraps its logging.
public enum ProcessMetrics {
    public static func bootstrap() {
        _ = registry
    }

    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()
}
