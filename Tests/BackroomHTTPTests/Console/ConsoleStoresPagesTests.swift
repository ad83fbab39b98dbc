import BackroomCore
import BackroomTestSupport
import Foundation
import HummingbirdTesting
import Testing

/// The Stores page's figures and actions, each store's page, and the Overview's alerts and
/// reservation chart, over a real socket on both databases.
struct ConsoleStoresPagesTests {
    static let vallblanca = try! ServerKey("VALLBLANCA")

    @Test(arguments: TestDatabase.allCases)
    func aStoresPageShowsItsChangesOfStatusAndIsProbedNow(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, storage async throws in
            let now = BackroomClock.system.nowMillis()
            try await storage.recordServerStatus(Self.vallblanca, .online, at: now - 120_000, reason: nil)
            try await storage.recordServerStatus(Self.vallblanca, .offline, at: now - 60_000, reason: "connection refused by 10.0.0.9")
            let session = try await ConsoleTests.signIn(client, "admin", "admin")

            // OFF for a minute: within the 5 minutes' wait no alert, past a shorter one an alert.
            var overview = try await client.call(.get, "/", headers: [.cookie: session.cookie])
            #expect(!overview.text.contains("Store VALLBLANCA"))
            try await storage.setPreference(.transitionToOfflineWait, value: 30_000)
            overview = try await client.call(.get, "/", headers: [.cookie: session.cookie])
            #expect(overview.text.contains("Store VALLBLANCA is OFF since \(LocalTimestamp.iso8601(millis: now - 60_000, offsetSeconds: 0))."))

            // What waits is counted in the background, at the start and every 10 s.
            var list = try await client.call(.get, "/stores", headers: [.cookie: session.cookie])
            if list.text.firstMatch(of: /data-label="Lag">\d+ (s|min \d+ s)<\/td>/) == nil {
                _ = await Poll.until(within: .seconds(5), every: .milliseconds(100)) {
                    list = try await client.call(.get, "/stores", headers: [.cookie: session.cookie])
                    return list.text.firstMatch(of: /data-label="Lag">\d+ (s|min \d+ s)<\/td>/) != nil
                }
            }
            #expect(list.text.contains(#"<a href="/stores/VALLBLANCA">VALLBLANCA</a>"#))
            #expect(
                list.text.firstMatch(of: /<td data-field="lag" data-label="Lag">\d+ (s|min \d+ s)<\/td>/) != nil,
                "the age of the demo's stock, never pulled"
            )
            #expect(list.text.contains(#"<polyline data-field="lagPoints""#) && list.text.contains(#"action="/stores/VALLBLANCA/probe""#))

            let page = try await client.call(.get, "/stores/VALLBLANCA", headers: [.cookie: session.cookie])
            #expect(page.status == .ok)
            let history = try #require(page.text.range(of: #"<table class="history">"#).map { String(page.text[$0.lowerBound...]) })
            let offline = try #require(history.range(of: "connection refused by 10.0.0.9"))
            let online = try #require(history.range(of: #"<td class="status status-ON">ON</td>"#))
            #expect(offline.lowerBound < online.lowerBound, "newest first")
            #expect(page.text.contains(#"<svg class="chart""#) && page.text.contains("Replication lag of VALLBLANCA"))

            // The demo's store has no server behind its URL: asked now, it is OFF, and says why.
            let probed = try await ConsoleEnginePageTests.post(client, "/stores/VALLBLANCA/probe", "back=store", session)
            #expect(probed.headers[.location]?.hasPrefix("/stores/VALLBLANCA?notice=") == true)
            #expect(ConsoleEnginePageTests.notice(probed)?.hasPrefix("VALLBLANCA answered OFF (") == true)
            let audit = try await client.call(.get, "/audit", headers: [.cookie: session.cookie])
            #expect(audit.text.contains("server.probe"))

            let forged = try await client.call(
                .post,
                "/stores/VALLBLANCA/probe",
                body: "xsrf=guess",
                headers: [.cookie: session.cookie, .contentType: "application/x-www-form-urlencoded"]
            )
            #expect(forged.status == .forbidden)
            #expect(try await client.call(.get, "/stores/NOBODY", headers: [.cookie: session.cookie]).status == .notFound)
            let tje0 = try await ConsoleTests.signIn(client, "tje0", "Tje0")
            #expect(try await client.call(.get, "/stores/VALLBLANCA", headers: [.cookie: tje0.cookie]).status == .forbidden)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func theOverviewCountsReservationsGrantedAndRefused(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, _ async throws in
            _ = try await ReservationLifecycleTests.reserve(client, #"{"items": [{"id": "Second-Test", "qty": 1}]}"#)
            let refused = try await client.reserve(#"{"items": [{"id": "Second-Test", "qty": 100000}]}"#)
            #expect(refused.status == .conflict || refused.status == .badRequest)
            let session = try await ConsoleTests.signIn(client, "admin", "admin")
            let overview = try await client.call(.get, "/", headers: [.cookie: session.cookie])
            #expect(overview.text.contains(#"<span class="key granted">granted</span> 1 and <span class="key refused">refused</span> 1"#))
            #expect(overview.text.contains(#"<rect class="granted""#) && overview.text.contains(#"<rect class="refused""#))
        }
    }

    @Test func aUserWithoutAdminStartsWhereTheirRightsLead() async throws {
        try await LiveServer.run(on: .sqlite) { client, _ async throws in
            let session = try await ConsoleTests.signIn(client, "tje0", "Tje0")
            let first = try await client.call(.get, "/", headers: [.cookie: session.cookie])
            #expect(first.status == .seeOther && first.headers[.location] == "/reservations", "tje0 reserves, and counts no stock")
        }
    }
}
