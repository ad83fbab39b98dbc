import Hummingbird
import Metrics
import Prometheus

/// `GET /metrics`: every swift-metrics metric of the process in Prometheus' text format.
struct MetricsController {
    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("metrics") { _, _ in
            var text: [UInt8] = []
            ProcessMetrics.registry.emit(into: &text)
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: text))
            )
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
