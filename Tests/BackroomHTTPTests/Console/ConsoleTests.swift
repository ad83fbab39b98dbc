import AsyncHTTPClient
import BackroomCore
import BackroomTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import BackroomHTTP

/// The console over a real socket: signing in and out, its pages, the headers that keep it to
/// itself, and the Stores page's live events.
struct ConsoleTests {
    /// Signs in by the form and answers the cookies to send with the next requests.
    static func signIn(_ client: any TestClientProtocol, _ user: String, _ password: String) async throws -> (cookie: String, xsrf: String) {
        let response = try await client.call(
            .post,
            "/signin",
            body: "user=\(user)&password=\(password)",
            headers: [.contentType: "application/x-www-form-urlencoded"]
        )
        #expect(response.status == .seeOther && response.headers[.location] == "/")
        let cookies = response.headers[values: .setCookie].map { $0.split(separator: ";")[0] }
        let xsrf = try #require(cookies.first { $0.hasPrefix("XSRF-TOKEN=") }).dropFirst("XSRF-TOKEN=".count)
        return (cookies.joined(separator: "; "), String(xsrf))
    }

    @Test(arguments: TestDatabase.allCases)
    func anAdminSignsInSeesTheOverviewAndTheStoresAndSignsOut(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, _ async throws in
            let anonymous = try await client.call(.get, "/")
            #expect(anonymous.status == .seeOther && anonymous.headers[.location] == "/signin")
            let form = try await client.call(.get, "/signin")
            #expect(form.status == .ok && form.text.contains(#"<label for="password">Password</label>"#))

            let wrong = try await client.call(
                .post,
                "/signin",
                body: "user=admin&password=nope",
                headers: [.contentType: "application/x-www-form-urlencoded"]
            )
            #expect(wrong.status == .unauthorized && wrong.text.contains("Wrong user name or password."))

            let session = try await Self.signIn(client, "admin", "admin")
            let overview = try await client.call(.get, "/", headers: [.cookie: session.cookie])
            #expect(overview.status == .ok && overview.headers[.contentType] == "text/html; charset=utf-8")
            #expect(overview.text.contains(#"<span class="count">1</span> OFF"#), "the demo's store, never seen")
            #expect(overview.text.contains("Store VALLBLANCA has never been online."))
            #expect(overview.text.contains(#"<svg class="chart""#) && overview.text.contains("Reservation requests per minute"))
            let stores = try await client.call(.get, "/stores", headers: [.cookie: session.cookie])
            #expect(stores.text.contains(#"<tr data-key="VALLBLANCA">"#) && stores.text.contains(#"data-live="/console/events/stores""#))

            // Nothing inline, nothing from elsewhere.
            let policy = try #require(overview.headers[.contentSecurityPolicy])
            #expect(policy.contains("script-src 'self'") && policy.contains("frame-ancestors 'none'") && !policy.contains("unsafe-inline"))
            #expect(overview.headers[HTTPField.Name("X-Frame-Options")!] == "DENY" && overview.headers[.xContentTypeOptions] == "nosniff")
            #expect(!overview.text.contains("<script>") && !overview.text.contains(" style=") && !overview.text.contains(" onclick"))
            #expect(!overview.text.contains("http://") && !overview.text.contains("https://"), "no asset from anywhere else")
            let script = try await client.call(.get, "/console.js")
            #expect(script.headers[.contentType] == "text/javascript; charset=utf-8" && script.text.contains("EventSource"))

            // Signing out needs the form's XSRF field; then the session is gone.
            let forged = try await client.call(
                .post,
                "/signout",
                body: "xsrf=guess",
                headers: [.cookie: session.cookie, .contentType: "application/x-www-form-urlencoded"]
            )
            #expect(forged.status == .forbidden)
            let out = try await client.call(
                .post,
                "/signout",
                body: "xsrf=\(session.xsrf)",
                headers: [.cookie: session.cookie, .contentType: "application/x-www-form-urlencoded"]
            )
            #expect(out.status == .seeOther && out.headers[.location] == "/signin")
            #expect(try await client.call(.get, "/", headers: [.cookie: session.cookie]).status == .seeOther)
        }
    }

    /// A cookie the sender set itself proves nothing: the form's field must be the token of
    /// the session that signs the request in (issue 24, point 6).
    @Test(arguments: TestDatabase.allCases)
    func aFormIsBoundToItsOwnSessionsToken(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, storage async throws in
            let admin = try await Self.signIn(client, "admin", "admin")
            let other = try await Self.signIn(client, "tje0", "Tje0")
            let sessionOnly = try #require(admin.cookie.split(separator: "; ").first { $0.hasPrefix("backroom_session=") })
            let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            for (cookie, field) in [("\(sessionOnly); XSRF-TOKEN=forged", "forged"), ("\(sessionOnly); XSRF-TOKEN=\(other.xsrf)", other.xsrf)] {
                var headers = form
                headers[.cookie] = cookie
                let forged = try await client.call(.post, "/users/tje0/disable", body: "xsrf=\(field)", headers: headers)
                #expect(forged.status == .forbidden)
            }
            #expect(try await storage.user(named: "tje0")?.disabled == false, "nothing changed")
            var headers = form
            headers[.cookie] = admin.cookie
            let own = try await client.call(.post, "/users/tje0/disable", body: "xsrf=\(admin.xsrf)", headers: headers)
            #expect(own.status == .seeOther)
            #expect(try await storage.user(named: "tje0")?.disabled == true)
        }
    }

    @Test func aUserWithoutAdminIsShownWhatTheyMayNotSee() async throws {
        try await LiveServer.run(on: .sqlite) { client, _ async throws in
            let session = try await Self.signIn(client, "tje0", "Tje0")
            let refused = try await client.call(.get, "/stores", headers: [.cookie: session.cookie])
            #expect(refused.status == .forbidden && refused.text.contains("tje0 may not see this page: it needs the right admin."))
            #expect(refused.text.contains(#"<a href="/reservations">Reservations</a>"#), "the page tje0 may open is linked")
            #expect(!refused.text.contains(#"href="/stores""#) && !refused.text.contains(#"href="/users""#), "the ones refused are not")
            #expect(try await client.call(.get, "/console/events/stores", headers: [.cookie: session.cookie]).status == .forbidden)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func theStoresRowsArriveAsEventsAndChangeWithTheRegistry(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, storage async throws in
            let session = try await Self.signIn(client, "admin", "admin")
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(try #require(client.port))/console/events/stores")
            request.headers.add(name: "Cookie", value: session.cookie)
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
            #expect(response.headers["Content-Type"].first == "text/event-stream; charset=utf-8")
            var events: [String] = []
            var text = ""
            for try await chunk in response.body {
                text += String(buffer: chunk)
                while let end = text.range(of: "\n\n") {
                    events.append(String(text[..<end.lowerBound]))
                    text = String(text[end.upperBound...])
                }
                if events.count == 1 {
                    #expect(events[0].hasPrefix("event: stores\ndata: ") && events[0].contains(#""status":"OFF""#))
                    try await storage.recordServerStatus(try ServerKey("VALLBLANCA"), .online, at: BackroomClock.system.nowMillis(), reason: nil)
                }
                if events.count == 2 { break }
            }
            #expect(events.count == 2 && events[1].contains(#""key":"VALLBLANCA""#) && events[1].contains(#""status":"ON""#), "sent when it changed")
        }
    }
}

/// Issue 24, point 7: every console route behind the session answers as the OpenAPI document
/// says when there is none, a form too: 303 to /signin, never a JSON 401.
struct ConsoleWithoutSessionTests {
    @Test func everyConsoleRouteSendsABrowserWithoutASessionToSignIn() async throws {
        let pages = OpenAPIOperations.console.filter { $0.access == .session }
        #expect(pages.count >= 20)
        try await LiveServer.run(on: .sqlite) { client, _ async throws in
            for page in pages {
                #expect(page.answers.contains { $0.status == "303" }, "\(page.method) \(page.path) documents its 303")
                let path = page.path.replacingOccurrences(of: #"\{[a-z]+\}"#, with: "1", options: .regularExpression)
                let headers: HTTPFields =
                    page.method == "POST"
                    ? LiveServer.basic("admin", "admin") + [.contentType: "application/x-www-form-urlencoded"] : LiveServer.basic("admin", "admin")
                let answer = try await client.call(
                    HTTPRequest.Method(page.method)!,
                    path,
                    body: page.method == "POST" ? "xsrf=x" : nil,
                    headers: headers
                )
                #expect(answer.status == .seeOther && answer.headers[.location] == "/signin", "\(page.method) \(path): \(answer.status)")
            }
        }
    }
}
