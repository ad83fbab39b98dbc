import BackroomCore
import BackroomStorage
import BackroomTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

struct PreferenceEndpointTests {
    static func admin() -> HTTPFields {
        var headers = LiveServer.basic("admin", "admin")
        headers[.contentType] = "application/json"
        return headers
    }

    @Test(arguments: TestDatabase.allCases)
    func anAdminSetsAPreferenceInForceAtOnce(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, storage async throws in
            for body in [#"{"value": 0}"#, #"{"value": "0"}"#] {
                let response = try await client.call(.put, "/api/v1/preferences/OBMOBC_ServerStatusMaxAge", body: body, headers: Self.admin())
                #expect(response.status == .ok)
                let data = try #require(try response.data)
                #expect(data["name"] as? String == "OBMOBC_ServerStatusMaxAge")
                #expect(data["value"] as? Int == 0)
                #expect(data["unit"] as? String == "ms")
            }
            #expect(try await storage.storedPreference(.serverStatusMaxAge) == "0")
            // With a maximum age of 0 a status just written is already too old: the server is asked.
            try await storage.recordServerStatus(try ServerKey("VALLBLANCA"), .online, at: BackroomClock.system.nowMillis() - 1, reason: nil)
            let answer = try await ServerStatusTests.ask(client, "VALLBLANCA").json["response"] as? [String: String]
            #expect(answer?["serverStatus"] == "OFF")
        }
    }

    @Test(arguments: [
        (#"{"value": 600001}"#, "value"), (#"{"value": -1}"#, "value"), (#"{"value": 1.5}"#, "value"), (#"{}"#, "value"), ("nope", "body"),
    ])
    func aBadValueIsRefusedNamingTheField(_ body: String, _ field: String) async throws {
        try await LiveServer.run(on: .sqlite) { client, storage async throws in
            let response = try await client.call(.put, "/api/v1/preferences/OBMOBC_TransitionToOfflineWait", body: body, headers: Self.admin())
            #expect(response.status == .badRequest)
            #expect(try response.errorFields == [field])
            #expect(try await storage.storedPreference(.transitionToOfflineWait) == nil)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func everyPreferenceIsListedWithItsUnitRangeDefaultAndValue(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, storage async throws in
            try await storage.setPreference(.readTimeout, value: 3)
            let listed = try await client.call(.get, "/api/v1/preferences", headers: Self.admin())
            let rows = try #require(try listed.json["data"] as? [[String: Any]])
            #expect(rows.compactMap { $0["name"] as? String } == Preference.allCases.map(\.rawValue))
            let read = try #require(rows.first { $0["name"] as? String == "OBMOBC_READ_TIMEOUT_REQUEST" })
            #expect(read["value"] as? Int == 3 && read["default"] as? Int == 15 && read["min"] as? Int == 1 && read["max"] as? Int == 60)
            #expect(read["unit"] as? String == "min")
            let flag = try #require(rows.first { $0["name"] as? String == "OBMOBC_ReadTimeoutForcesOffline" })
            #expect(flag["value"] as? String == "N" && flag["min"] as? String == "N" && flag["max"] as? String == "Y")
            #expect(try await client.call(.get, "/api/v1/preferences").status == .forbidden)
        }
    }

    @Test func anUnknownPreferenceIsNotFoundAndOnlyAdminsMaySet() async throws {
        try await LiveServer.run(on: .sqlite) { client, _ async throws in
            let unknown = try await client.call(.put, "/api/v1/preferences/OBMOBC_Nope", body: #"{"value": 1}"#, headers: Self.admin())
            #expect(unknown.status == .notFound)
            #expect(try unknown.exceptionCodes == ["404"])
            let tje0 = try await client.call(.put, "/api/v1/preferences/OBMOBC_Ping_Periodicity", body: #"{"value": 1}"#)
            #expect(tje0.status == .forbidden)
        }
    }
}
