import BackroomCore
import BackroomTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import BackroomHTTP

/// Every metric the Grafana dashboard in docs/ draws is one `/metrics` has, once the things it
/// counts have happened.
struct DashboardMetricsTests {
    static let dashboard = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/grafana/backroom-dashboard.json")

    /// The metric names the dashboard's queries use.
    static func usedMetrics() throws -> Set<String> {
        let dashboard = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: dashboard)) as? [String: Any])
        let panels = try #require(dashboard["panels"] as? [[String: Any]])
        let expressions = panels.flatMap { ($0["targets"] as? [[String: Any]] ?? []).compactMap { $0["expr"] as? String } }
        #expect(expressions.count == panels.count, "a query per panel")
        return Set(expressions.flatMap { $0.matches(of: /backroom_[a-z_]+/).map { String($0.output) } })
    }

    @Test func everyMetricTheDashboardDrawsIsServed() async throws {
        let used = try Self.usedMetrics()
        #expect(used.count >= 10)
        try await withErpFolder { folder in
            try FileManager.default.createDirectory(at: folder.appendingPathComponent("in"), withIntermediateDirectories: true)
            try Data("shop,id,qty\n10010,First-Test,5\n".utf8).write(to: folder.appendingPathComponent("in/good.csv"))
            try Data("shop,id,qty\n99999,First-Test,5\n".utf8).write(to: folder.appendingPathComponent("in/bad.csv"))
            let endpoint = ErpSyncConnectorTests.Endpoint()
            try await endpoint.application.test(.live) { erp in
                try await LiveServer.run(on: .sqlite) { client, storage async throws in
                    try await storage.recordServerStatus(
                        try ServerKey("VALLBLANCA"),
                        .offline,
                        at: BackroomClock.system.nowMillis(),
                        reason: "not there"
                    )
                    // What the figures count: reservations granted and refused, a round with an
                    // ERP folder (a file in, a file refused, movements out) and an HTTP delivery.
                    #expect(try await client.reserve(#"{"items": [{"id": "First-Test", "qty": 1}]}"#).status == .created)
                    #expect(try await client.reserve(#"{"items": [{"id": "First-Test", "qty": 100000}]}"#).status == .badRequest)
                    _ = try await client.agent(
                        "SaveConnection",
                        #"{"Connection": {"ErpConnectionId": 0, "ErpConnectorId": 3, "ConfigFields": {"folder": "\#(folder.path)"}}}"#
                    )
                    let url = "http://127.0.0.1:\(try #require(erp.port))/erp"
                    let made = try await client.agent("SaveErpSyncConnectorEntity", #"{"ErpConnectorId": 0, "DisplayName": "API", "URL": "\#(url)"}"#)
                        .json
                    _ = try await client.agent(
                        "SaveConnection",
                        #"{"Connection": {"ErpConnectionId": 0, "ErpConnectorId": \#(try #require(made["ErpConnectorId"] as? Int))}}"#
                    )
                    _ = try await client.agent("ForceSyncAll")
                    let metrics = try await client.call(.get, "/metrics").text
                    let served = Set(
                        metrics.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap { line in
                            line.split(whereSeparator: { $0 == "{" || $0 == " " }).first.map(String.init)
                        }
                    )
                    for name in used.sorted() {
                        #expect(served.contains(name), "\(name) is drawn by the dashboard but not served")
                    }
                    // The registry is the process's: other tests count too, so only the series is checked.
                    #expect(metrics.contains(#"backroom_reservations_total{operation="create",outcome="not_enough_stock"} "#))
                    #expect(metrics.contains(#"backroom_erp_files_total{outcome="failed"}"#))
                    #expect(
                        metrics.contains(#"backroom_store_replication_lag_seconds{store="VALLBLANCA"} "#),
                        "as last counted: 0, or the age of the ERP file's receipt"
                    )
                    #expect(metrics.contains(#"backroom_database_connections{state="open"} 5"#), "SQLite: a writer and four readers")
                }
            }
        }
    }
}

/// Every refusal is counted under an outcome the service made a counter for.
struct ReservationInstrumentsTests {
    @Test func everyRefusalHasItsCounter() {
        let failures: [ReservationFailure] = [
            .notEnoughStock([]), .unknownProducts([]), .noSuchReservation(1), .expired(1), .committed(1), .noSuchShop(1), .idempotencyKeyReused,
        ]
        for failure in failures {
            #expect(ReservationInstruments.outcomes.contains(failure.metricReason), "\(failure)")
        }
    }
}
