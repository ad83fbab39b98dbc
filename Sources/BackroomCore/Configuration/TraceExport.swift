/// Whether traces are exported: only when the standard OpenTelemetry variables name where to
/// (`OTEL_EXPORTER_OTLP_ENDPOINT`, or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` for traces alone), so
/// that a server nobody configured for it neither spends on spans nor tries to reach a
/// collector that is not there.
public enum TraceExport {
    public static func isRequested(endpoint: String?, tracesEndpoint: String?) -> Bool {
        [endpoint, tracesEndpoint].contains { !($0 ?? "").isEmpty }
    }
}
