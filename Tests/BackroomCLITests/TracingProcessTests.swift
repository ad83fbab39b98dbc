import AsyncHTTPClient
import BackroomTestSupport
import Foundation
import Hummingbird
import NIOCore
import NIOFoundationCompat
import Synchronization
import Testing

/// Issue 25: traces over OTLP/HTTP, configured by the standard `OTEL_*` variables. A small
/// OTLP receiver takes the exports of a central and a store; a reservation the store forwards is
/// one trace: the store's request, its call to central, central's request and central's
/// database transactions.
struct TracingProcessTests {
    /// A span as an OTLP/JSON export names it, and the service that sent it.
    struct ReceivedSpan: Sendable {
        let service: String
        let name: String
        let traceID: String
        let spanID: String
        let parentSpanID: String
        let kind: Int
    }

    /// Collects the spans POSTed to `/v1/traces` as OTLP/JSON.
    final class Receiver: Sendable {
        let spans = Mutex<[ReceivedSpan]>([])

        func take(_ body: ByteBuffer) {
            guard let export = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any] else { return }
            for resourceSpans in export["resourceSpans"] as? [[String: Any]] ?? [] {
                let attributes = (resourceSpans["resource"] as? [String: Any])?["attributes"] as? [[String: Any]] ?? []
                let service =
                    attributes.first { $0["key"] as? String == "service.name" }
                    .flatMap { ($0["value"] as? [String: Any])?["stringValue"] as? String } ?? ""
                for scope in resourceSpans["scopeSpans"] as? [[String: Any]] ?? [] {
                    for span in scope["spans"] as? [[String: Any]] ?? [] {
                        let received = ReceivedSpan(
                            service: service,
                            name: span["name"] as? String ?? "",
                            traceID: span["traceId"] as? String ?? "",
                            spanID: span["spanId"] as? String ?? "",
                            parentSpanID: span["parentSpanId"] as? String ?? "",
                            kind: span["kind"] as? Int ?? 0
                        )
                        spans.withLock { $0.append(received) }
                    }
                }
            }
        }
    }

    static func environment(receiver port: Int, service: String) -> [String: String] {
        [
            "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:\(port)", "OTEL_EXPORTER_OTLP_PROTOCOL": "http/json",
            "OTEL_SERVICE_NAME": service, "OTEL_BSP_SCHEDULE_DELAY": "200",
        ]
    }

    @Test(arguments: TestDatabase.allCases)
    func aReservationForwardedByAStoreIsOneTrace(_ database: TestDatabase) async throws {
        let receiver = Receiver()
        let router = Router()
        router.post("v1/traces") { request, _ in
            receiver.take(try await request.body.collect(upTo: 16 << 20))
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: "{}")))
        }
        let port = try await ServerStatusProcessTests.freePort()
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService() }
            defer { group.cancelAll() }
            try await database.withFresh { centralDatabase async throws in
                try await TestDatabase.sqlite.withFresh { storeDatabase async throws in
                    let central = try BackroomProcess.start(
                        ["serve", "--demo", "--port", "0", "--database", centralDatabase.url],
                        environment: Self.environment(receiver: port, service: "central-under-test")
                    )
                    defer { central.signal(SIGKILL) }
                    let centralBase = "http://127.0.0.1:\(try await central.listeningPort())"
                    let store = try BackroomProcess.start(
                        [
                            "serve", "--role", "store", "--server-key", "VALLBLANCA", "--port", "0", "--central-url", centralBase,
                            "--central-token", "demo-vallblanca-token", "--database", storeDatabase.url,
                        ],
                        environment: Self.environment(receiver: port, service: "store-under-test")
                    )
                    defer { store.signal(SIGKILL) }
                    let storeBase = "http://127.0.0.1:\(try await store.listeningPort())"
                    #expect(
                        try await StoreLinkProcessTests.eventually(within: .seconds(60)) {
                            try await StoreLinkProcessTests.status(storeBase, of: "VALLBLANCA") == "ON"
                        }
                    )
                    #expect(try await StoreLinkProcessTests.reserve(storeBase).status == 201)

                    // The store's call to central, and central's request that it set off: a
                    // descendant of the call (AsyncHTTPClient's own client span lies between).
                    func forwarded() -> (call: ReceivedSpan, served: ReceivedSpan)? {
                        let spans = receiver.spans.withLock { $0 }
                        let byID = Dictionary(spans.map { ($0.spanID, $0) }, uniquingKeysWith: { first, _ in first })
                        for call in spans where call.service == "store-under-test" && call.name == "forward to central" {
                            let served = spans.first { span in
                                guard span.service == "central-under-test", span.kind == 2 else { return false }
                                var parent = byID[span.parentSpanID]
                                while let ancestor = parent, ancestor.spanID != call.spanID { parent = byID[ancestor.parentSpanID] }
                                return parent != nil
                            }
                            if let served { return (call, served) }
                        }
                        return nil
                    }
                    #expect(
                        try await StoreLinkProcessTests.eventually { forwarded() != nil },
                        "\(receiver.spans.withLock { $0.filter { !$0.name.hasPrefix("sqlite") && !$0.name.hasPrefix("postgresql") }.map { "\($0.service) \($0.name) \($0.spanID) <- \($0.parentSpanID)" } })"
                    )
                    let (call, served) = try #require(forwarded())
                    #expect(served.traceID == call.traceID)
                    #expect(served.kind == 2, "central's span is a server's (OTLP SPAN_KIND_SERVER)")
                    let trace = receiver.spans.withLock { $0.filter { $0.traceID == call.traceID } }
                    let storeRequest = try #require(trace.first { $0.spanID == call.parentSpanID }, "the store's own request is the call's parent")
                    #expect(
                        storeRequest.service == "store-under-test" && storeRequest.kind == 2 && storeRequest.parentSpanID.isEmpty,
                        "and the trace's root"
                    )
                    let kind = database == .sqlite ? "sqlite" : "postgresql"
                    #expect(
                        try await StoreLinkProcessTests.eventually {
                            receiver.spans.withLock {
                                $0.contains { $0.traceID == call.traceID && $0.service == "central-under-test" && $0.name.hasPrefix(kind) }
                            }
                        },
                        "central's database transactions are in the trace"
                    )
                    #expect(trace.allSatisfy { !$0.name.contains("demo-vallblanca-token") })
                }
            }
        }
    }

    @Test func withoutOTELSettingsNothingIsExported() async throws {
        let receiver = Receiver()
        let router = Router()
        router.post("v1/traces") { request, _ in
            receiver.take(try await request.body.collect(upTo: 16 << 20))
            return Response(status: .ok)
        }
        let port = try await ServerStatusProcessTests.freePort()
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService() }
            defer { group.cancelAll() }
            try await TestDatabase.sqlite.withFresh { database async throws in
                // Only the protocol and service name: no endpoint, so no export (nor a default one tried).
                let central = try BackroomProcess.start(
                    ["serve", "--demo", "--port", "0", "--database", database.url],
                    environment: ["OTEL_EXPORTER_OTLP_PROTOCOL": "http/json", "OTEL_SERVICE_NAME": "quiet", "OTEL_BSP_SCHEDULE_DELAY": "100"]
                )
                defer { central.signal(SIGKILL) }
                let base = "http://127.0.0.1:\(try await central.listeningPort())"
                #expect(try await StoreLinkProcessTests.json(.GET, "\(base)/health").status == 200)
                // Exporting, it would have sent within 100 ms: ten chances, none taken.
                #expect(await Poll.until(within: .seconds(1)) { !receiver.spans.withLock { $0.isEmpty } } == false)
                #expect(!central.stdout.contains("OTLP"), "and no word of an exporter in the log")
            }
        }
    }
}
