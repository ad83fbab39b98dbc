import BackroomCore
import BackroomTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The console's Stock and Reservations pages: stock set with a confirmation and ATP changing,
/// a reservation cancelled.
struct ConsoleShopPagesTests {
    @Test(arguments: TestDatabase.allCases)
    func stockIsSetOnlyWhenConfirmedAndATPFollows(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, storage async throws in
            let session = try await ConsoleTests.signIn(client, "admin", "admin")
            let page = try await client.call(.get, "/stock?shop=10010&product=First-Test", headers: [.cookie: session.cookie])
            #expect(page.text.contains("<dt>On hand</dt><dd>100</dd>") && page.text.contains("<dt>ATP</dt><dd>100</dd>"))
            let unconfirmed = try await ConsoleEnginePageTests.post(client, "/stock", "shop=10010&product=First-Test&stock=40", session)
            #expect(ConsoleEnginePageTests.notice(unconfirmed) == "Nothing was set: confirm that you counted it.")
            #expect(try await storage.stockLevel(shop: 10010, product: "First-Test")?.onHand == 100)
            let set = try await ConsoleEnginePageTests.post(client, "/stock", "shop=10010&product=First-Test&stock=40&confirm=yes", session)
            #expect(ConsoleEnginePageTests.notice(set) == "First-Test in shop 10010: on hand is 40.")
            #expect(try await client.availability("First-Test")["First-Test"]?["atp"] as? Int == 40)
            let after = try await client.call(.get, "/stock?shop=10010&product=First-Test", headers: [.cookie: session.cookie])
            #expect(after.text.contains("<dt>ATP</dt><dd>40</dd>") && after.text.contains("<td>-60</td><td>count</td>"))
            let missing = try await client.call(.get, "/stock?shop=10010&product=Nope", headers: [.cookie: session.cookie])
            #expect(missing.text.contains("Shop 10010 has no product Nope."))
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aReservationIsCancelledFromTheList(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, _ async throws in
            let id = try await ReservationLifecycleTests.reserve(client, #"{"items": [{"id": "Second-Test", "qty": 2}]}"#)
            let session = try await ConsoleTests.signIn(client, "tje0", "Tje0")
            let page = try await client.call(.get, "/reservations?shop=10010&state=active", headers: [.cookie: session.cookie])
            #expect(page.text.contains(#"<th scope="row">\#(id)</th><td>active</td>"#) && page.text.contains("2 × Second-Test"))
            let cancelled = try await ConsoleEnginePageTests.post(client, "/reservations/\(id)/cancel", "shop=10010", session)
            #expect(ConsoleEnginePageTests.notice(cancelled) == "Reservation \(id) is cancelled.")
            #expect(try await client.availability("Second-Test")["Second-Test"]?["reserved"] as? Int == 0)
            let again = try await ConsoleEnginePageTests.post(client, "/reservations/\(id)/cancel", "shop=10010", session)
            #expect(ConsoleEnginePageTests.notice(again) == "Reservation \(id) cannot be cancelled.")
            #expect(
                try await client.call(.get, "/reservations?shop=10020", headers: [.cookie: session.cookie]).status == .forbidden,
                "not tje0's shop"
            )
        }
    }
}
