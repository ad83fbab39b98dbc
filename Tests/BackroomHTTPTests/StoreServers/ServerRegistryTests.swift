import BackroomCore
import BackroomSecurity
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

    static let admin: HTTPFields = LiveServer.basic("admin", "admin") + [.contentType: "application/json"]

    /// The engine's connection to a store is made where the registry changes: the registry API
    /// makes it and removes it at once; listing the connections writes nothing, so a store the
    /// command line registers behind the server's back is linked by the next round, not by a GET.
    @Test(arguments: TestDatabase.allCases)
    func theRegistryAPIMakesAndRemovesAStoresConnectionAndListingWritesNothing(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, storage async throws in
            func linked() async throws -> [String] {
                try await client.agentList("GetAllConnections", #"{"IncludeDeleted": false}"#).compactMap { $0["DisplayName"] as? String }.sorted()
            }
            #expect(try await linked() == ["VALLBLANCA"], "the demo's store, linked when the server opened")
            // A round now, so that none starts (and links) while the registry is changed below.
            _ = try await client.agent("ForceSyncAll")

            try await storage.registerServer(
                ServerRegistration(key: try ServerKey("SUR"), name: "Sur", type: .store, url: nil, shops: []),
                tokenFingerprint: nil
            )
            let rows = try await storage.syncConnections(includeDeleted: true).count
            #expect(try await linked() == ["VALLBLANCA"])
            #expect(try await storage.syncConnections(includeDeleted: true).count == rows, "a GET wrote no connection")

            let added = try await client.call(.post, "/api/v1/servers", body: #"{"key": "NORTE", "type": "store"}"#, headers: Self.admin)
            #expect(added.status == .created)
            #expect(try await linked() == ["NORTE", "SUR", "VALLBLANCA"], "the change linked every registered store")

            #expect(try await client.call(.delete, "/api/v1/servers/NORTE", headers: Self.admin).status == .noContent)
            #expect(try await linked() == ["SUR", "VALLBLANCA"])
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func anAdminAddsChangesProbesAndRemovesServers(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, storage async throws in
            let added = try await client.call(
                .post,
                "/api/v1/servers",
                body: #"{"key": "NORTE", "name": "Norte", "type": "store", "url": "http://127.0.0.1:9/", "shops": [10010, 10010]}"#,
                headers: Self.admin
            )
            #expect(added.status == .created && added.headers[.location] == "/api/v1/servers/NORTE" && added.headers[.cacheControl] == "no-store")
            let server = try #require(try added.json["data"] as? [String: Any])
            let token = try #require(server["token"] as? String)
            #expect(server["url"] as? String == "http://127.0.0.1:9" && server["shops"] as? [Int] == [10010] && server["status"] as? String == "OFF")
            #expect(
                try await storage.server(tokenFingerprint: SecretToken.fingerprint(token))?.registration.key.value == "NORTE",
                "only its fingerprint kept"
            )
            let read = try await client.call(.get, "/api/v1/servers/NORTE", headers: Self.admin)
            #expect(!read.text.contains(token))

            #expect(
                try await client.call(.post, "/api/v1/servers", body: #"{"key": "NORTE", "type": "store"}"#, headers: Self.admin).status == .conflict
            )
            let bad = try await client.call(
                .post,
                "/api/v1/servers",
                body: #"{"key": "no rte", "type": "shop", "url": "ftp://x", "shops": [-1]}"#,
                headers: Self.admin
            )
            let fields = try bad.errorFields
            #expect(bad.status == .badRequest && fields == ["key", "type", "url", "shops[0]"])

            let changed = try await client.call(
                .patch,
                "/api/v1/servers/NORTE",
                body: #"{"name": "Norte 2", "shops": [10020], "url": null}"#,
                headers: Self.admin
            )
            let after = try #require(try changed.json["data"] as? [String: Any])
            #expect(
                after["name"] as? String == "Norte 2" && after["shops"] as? [Int] == [10020] && after["url"] is NSNull
                    && after["type"] as? String == "store"
            )
            #expect(try await client.call(.patch, "/api/v1/servers/NORTE", body: #"{"type": "main"}"#, headers: Self.admin).status == .badRequest)

            // Asked now: a store without a URL cannot answer.
            let probed = try await client.call(.post, "/api/v1/servers/NORTE/probe", headers: Self.admin)
            #expect((try probed.json["data"] as? [String: Any])?["status"] as? String == "OFF")

            #expect(try await client.call(.delete, "/api/v1/servers/CENTRAL", headers: Self.admin).status == .badRequest)
            #expect(try await client.call(.delete, "/api/v1/servers/NORTE", headers: Self.admin).status == .noContent)
            #expect(try await client.call(.delete, "/api/v1/servers/NORTE", headers: Self.admin).status == .notFound)
            #expect(try await client.call(.get, "/api/v1/servers/NORTE", headers: Self.admin).status == .notFound)
            let audit = try await client.call(.get, "/api/v1/audit", headers: Self.admin)
            #expect(
                try (audit.json["data"] as? [[String: Any]])?.compactMap { $0["action"] as? String } == [
                    "server.delete", "server.probe", "server.change", "server.create",
                ]
            )
            #expect(!audit.text.contains(token))
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aRemovedStoreIsNoLongerAConnectionOfTheEngine(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, _ async throws in
            #expect(try await client.agentList("GetAllConnections").contains { $0["DisplayName"] as? String == "VALLBLANCA" })
            #expect(try await client.call(.delete, "/api/v1/servers/VALLBLANCA", headers: Self.admin).status == .noContent)
            let left = try await client.agentList("GetAllConnections", #"{"IncludeDeleted": true}"#)
            #expect(left.first { $0["DisplayName"] as? String == "VALLBLANCA" }?["Deleted"] as? Bool == true)
        }
    }

    @Test func othersMayNot() async throws {
        try await LiveServer.run(on: .sqlite) { client, _ async throws in
            #expect(try await client.call(.get, "/api/v1/servers", headers: LiveServer.basic("tje0", "Tje0")).status == .forbidden)
            #expect(try await client.call(.get, "/api/v1/servers", headers: [:]).status == .unauthorized)
        }
    }
}
