import AsyncHTTPClient
import Tracing

/// A span around each call to another server (store to central, pings and probes, an ERP
/// connector), named for what the call is for. AsyncHTTPClient makes the HTTP request's own
/// client span inside it and carries the W3C trace context (`traceparent`) in the request's
/// headers, so that what a request sets off on another server is part of the same trace.
/// Without a tracer configured (no `OTEL_*` endpoint) the spans are no-ops and nothing is added.
public enum OutboundSpan {
    public static func call<Result>(
        _ name: String,
        _ request: HTTPClientRequest,
        _ perform: (HTTPClientRequest) async throws -> Result
    ) async throws -> Result {
        try await withSpan(name, ofKind: .internal) { span in
            span.attributes["http.request.method"] = request.method.rawValue
            span.attributes["url.full"] = Self.withoutQuery(request.url)
            return try await perform(request)
        }
    }

    /// A URL's query may carry what is not the trace's to keep.
    static func withoutQuery(_ url: String) -> String {
        String(url.prefix { $0 != "?" })
    }
}
