import BackroomTestSupport
import Foundation
import Testing

/// A body over the limit is answered 413 in the family's own shape, and a client that reads
/// only after writing its whole body gets that answer, with or without `Connection: close`.
struct RefusedUploadTests {
    /// Each family's path, and what its 413 body says.
    static let families: [(path: String, headers: [String: String], shape: String)] = [
        ("/servlets/services/reservation/10010", ["Authorization": "Basic dGplMDpUamUw", "Content-Type": "application/json"], #""statusCode":413"#),
        ("/api/v1/shops/10010/movements", ["Authorization": "Basic YWRtaW46YWRtaW4=", "Content-Type": "application/json"], #""statusCode":413"#),
        (
            "/api/v1/Agents/ErpSync/GetEngineStatus", ["Authorization": "Basic dGplMDpUamUw", "Content-Type": "application/json"],
            #""ErrorSource":"Backroom.ErpSync""#
        ),
        (
            "/org.openbravo.mobile.core.service.jsonrest/org.openbravo.mobile.core.servercontroller.RetrieveMobileServerStatus",
            ["Content-Type": "application/json"], #""serverStatus":"OFF""#
        ),
        ("/sync/v1/push", ["Authorization": "Bearer demo-vallblanca-token", "Content-Type": "application/json"], #""error":"#),
    ]

    @Test(arguments: [(true, false), (false, false), (true, true)])
    func aClientThatWritesEverythingFirstGetsThe413(_ closing: Bool, _ chunked: Bool) async throws {
        try await LiveServer.run(on: .sqlite) { client, _ async throws in
            let port = try #require(client.port)
            let body = [UInt8](repeating: UInt8(ascii: "x"), count: 12 << 20)
            for family in Self.families {
                var headers = family.headers
                if closing { headers["Connection"] = "close" }
                let outcome = try await WriteThenReadClient(port: port).onOwnThread(
                    "POST",
                    family.path,
                    headers: headers,
                    body: body,
                    chunked: chunked
                )
                guard case .answered(let status, let answer) = outcome else {
                    Issue.record("\(family.path): cut off instead of answered")
                    continue
                }
                #expect(status == 413, "\(family.path)")
                #expect(answer.replacingOccurrences(of: " ", with: "").contains(family.shape), "\(family.path): \(answer)")
            }
            // The server still serves.
            #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
        }
    }

    /// Past what the server throws away it stops reading: such a client sees the connection
    /// end, and does not hang.
    @Test func aHugeUploadIsCutOffNotLeftHanging() async throws {
        try await LiveServer.run(on: .sqlite) { client, _ async throws in
            let port = try #require(client.port)
            let body = [UInt8](repeating: UInt8(ascii: "x"), count: 96 << 20)
            let outcome = try await WriteThenReadClient(port: port).onOwnThread(
                "POST",
                "/servlets/services/reservation/10010",
                headers: ["Authorization": "Basic dGplMDpUamUw", "Content-Type": "application/json", "Connection": "close"],
                body: body
            )
            // Either it stopped reading in time for the client to notice, or its 413 got through.
            if case .answered(let status, _) = outcome { #expect(status == 413) }
            #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
        }
    }
}
