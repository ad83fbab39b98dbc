import BackroomCore
import BackroomTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// A slow or flooding client cannot hold the server (issue 24, point 5): half-sent requests
/// and idle connections are closed at their deadlines, past the limit a connection is answered
/// 503, /health answers throughout, and a client that hangs up is no server error.
struct SlowClientTests {
    static let short = ConnectionLimits(headerSeconds: 1, idleSeconds: 2, maximum: 1000)

    @Test func hundredsOfHalfSentRequestsNeitherStarveHealthNorOutliveTheirDeadline() async throws {
        try await LiveServer.run(on: .sqlite, connections: Self.short) { client, _ async throws in
            let port = try #require(client.port)
            let slow = try (0..<300).map { _ in try RawConnection(port: port) }
            for connection in slow { connection.send("GET /health HTTP/1.1\r\nHost: backroom\r\nX-Slow: ") }
            // On a connection of its own: the test client's idle one is closed at the deadline too.
            let health = await (try RawConnection(port: port)).request("GET /health HTTP/1.1\r\nHost: backroom\r\n\r\n")
            #expect(health.hasPrefix("HTTP/1.1 200 OK"), "the health check is answered meanwhile")
            for connection in slow {
                #expect(await connection.readUntilClosed(within: .seconds(30)) == "", "closed at the header deadline, unanswered")
            }
        }
    }

    @Test func anIdleConnectionIsClosedAfterItsAnswer() async throws {
        try await LiveServer.run(on: .sqlite, connections: Self.short) { client, _ async throws in
            let connection = try RawConnection(port: try #require(client.port))
            #expect(await connection.request("GET /health HTTP/1.1\r\nHost: backroom\r\n\r\n").hasPrefix("HTTP/1.1 200 OK"))
            #expect(await connection.readUntilClosed(within: .seconds(30)) == "", "closed once idle, nothing more said")
        }
    }

    @Test func aBodyThatStopsComingIsClosedAfterTheIdleDeadline() async throws {
        try await LiveServer.run(on: .sqlite, connections: Self.short) { client, storage async throws in
            let connection = try RawConnection(port: try #require(client.port))
            connection.send(
                "POST /api/v1/shops/10010/movements HTTP/1.1\r\nHost: backroom\r\nAuthorization: Basic YWRtaW46YWRtaW4=\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"movements\": ["
            )
            #expect(await connection.readUntilClosed(within: .seconds(30)) == "", "closed, unanswered")
            #expect(try await storage.stockLevel(shop: 10010, product: "First-Test")?.onHand == 100)
        }
    }

    @Test func pastTheLimitAConnectionIsAnswered503AndClosed() async throws {
        try await LiveServer.run(on: .sqlite, connections: ConnectionLimits(headerSeconds: 5, idleSeconds: 5, maximum: 3)) { client, _ async throws in
            let port = try #require(client.port)
            // The test client's own connection may be one of the three.
            let silent = try (0..<3).map { _ in try RawConnection(port: port) }
            // connect() returns once the kernel has them and the server takes them in on its own
            // loops: a request may still be served before they count, so it is asked until they do.
            var answer = ""
            for _ in 0..<100 where !answer.hasPrefix("HTTP/1.1 503") {
                let probe = try RawConnection(port: port)
                probe.send("GET /health HTTP/1.1\r\nHost: backroom\r\nConnection: close\r\n\r\n")
                answer = try #require(await probe.readUntilClosed(within: .seconds(30)), "answered, then closed")
            }
            #expect(answer.hasPrefix("HTTP/1.1 503 Service Unavailable"))
            #expect(answer.contains("Retry-After: 1") && answer.contains("too many connections"))
            for connection in silent { #expect(await connection.readUntilClosed(within: .seconds(30)) != nil) }
            let later = await (try RawConnection(port: port)).request("GET /health HTTP/1.1\r\nHost: backroom\r\n\r\n")
            #expect(later.hasPrefix("HTTP/1.1 200 OK"), "served again once the silent ones are gone")
        }
    }

    @Test func aClientThatHangsUpMidBodyIsNoServerError() async throws {
        try await LiveServer.run(on: .sqlite) { client, storage async throws in
            func hangUps() async throws -> Int {
                let metrics = try await client.call(.get, "/metrics").text
                let line = metrics.split(separator: "\n").first { $0.hasPrefix("backroom_http_client_hangups_total ") }
                return line.flatMap { Int($0.split(separator: " ").last ?? "") } ?? 0
            }
            let before = try await hangUps()
            let connection = try RawConnection(port: try #require(client.port))
            connection.send(
                "POST /api/v1/shops/10010/movements HTTP/1.1\r\nHost: backroom\r\nAuthorization: Basic YWRtaW46YWRtaW4=\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"movements\": ["
            )
            // The server has the request's head and reads its body: the request is active.
            _ = await Poll.until {
                try await client.call(.get, "/metrics").text.split(separator: "\n")
                    .contains { $0.hasPrefix(#"http_server_active_requests{http_request_method="POST"}"#) && !$0.hasSuffix(" 0.0") }
            }
            _ = consume connection
            // At least: the metrics are the test process's, and another test may hang up meanwhile.
            let counted = await Poll.until(within: .seconds(10), every: .milliseconds(100)) { try await hangUps() >= before + 1 }
            #expect(counted, "counted as a hang-up")
            let metrics = try await client.call(.get, "/metrics").text
            #expect(!metrics.split(separator: "\n").contains { $0.contains("movements") && $0.contains("\"500\"") }, "and not as a 500")
            #expect(try await storage.stockLevel(shop: 10010, product: "First-Test")?.onHand == 100)
        }
    }
}
