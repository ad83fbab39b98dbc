import BackroomCore
import BackroomStorage
import BackroomTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

struct ServerRegistryTests {
    @Test(arguments: TestDatabase.allCases)
    func adminsListTheRegistry(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, storage async throws in
            try await storage.recordServerStatus(try ServerKey("VALLBLANCA"), .offline, at: 1_764_000_000_000, reason: "connection refused")
            let response = try await client.call(.get, "/api/v1/servers", headers: LiveServer.basic("admin", "admin"))
            #expect(response.status == .ok)
            let servers = try #require(try response.json["data"] as? [[String: Any]])
            #expect(servers.map { $0["key"] as? String } == ["CENTRAL", "VALLBLANCA"])
            let store = servers[1]
            #expect(store["type"] as? String == "store")
            #expect(store["url"] as? String == "http://127.0.0.1:8081")
            #expect(store["shops"] as? [Int] == [10010])
            #expect(store["status"] as? String == "OFF")
            #expect(store["updated"] as? String == "2025-11-24T16:00:00Z")
            #expect(store["offlineLog"] as? String == "connection refused")
            #expect(store["lastPing"] is NSNull)
            let waiting = try #require(store["waiting"] as? [String: Any])
            #expect(waiting["toStore"] as? Int == 2 + LiveServer.loadTestProducts, "every demo count movement of shop 10010, none pulled yet")
            #expect(waiting["fromStore"] is NSNull, "the store has not called yet")
            #expect(servers[0]["waiting"] is NSNull)
            #expect(servers[0]["status"] as? String == "ON", "central's own row: its current status")
        }
    }

    @Test func othersMayNot() async throws {
        try await LiveServer.run(on: .sqlite) { client, _ async throws in
            #expect(try await client.call(.get, "/api/v1/servers", headers: LiveServer.basic("tje0", "Tje0")).status == .forbidden)
            #expect(try await client.call(.get, "/api/v1/servers", headers: [:]).status == .unauthorized)
        }
    }
}
