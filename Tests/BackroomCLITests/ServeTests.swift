import AsyncHTTPClient
import BackroomTestSupport
import Foundation
import NIOCore
import NIOFoundationCompat
import Testing

struct ServeTests {
    /// A page's text, on a connection of its own.
    static func text(_ url: String) async throws -> String {
        let response = try await ProcessHTTP.execute(HTTPClientRequest(url: url), timeout: .seconds(5))
        return String(buffer: try await response.body.collect(upTo: 1 << 20))
    }

    static func get(_ url: String, headers: [(String, String)] = []) async throws -> (status: UInt, body: [String: Any]) {
        var request = HTTPClientRequest(url: url)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await ProcessHTTP.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 20)
        let json = (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
        return (response.status.code, json)
    }

    @Test(arguments: TestDatabase.allCases)
    func serveWithDemoAnswersAndStopsGracefullyOnSIGTERM(_ database: TestDatabase) async throws {
        try await database.withFresh { fresh async throws in
            let server = try BackroomProcess.start(["serve", "--demo", "--port", "0", "--database", fresh.url])
            let port = try await server.listeningPort()
            let base = "http://127.0.0.1:\(port)"

            let health = try await Self.get("\(base)/health", headers: [("Authorization", "Basic YWRtaW46YWRtaW4=")])
            #expect(health.status == 200)
            #expect((health.body["database"] as? [String: Any])?["kind"] as? String == database.rawValue)

            // A sign-in is in flight when the signal arrives: the server has its headers and
            // waits for the rest of its body, which is sent only after the signal. A client of
            // its own opens the connection first, so the request is on it before the signal.
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            let signedIn: Result<UInt, any Error>
            do {
                signedIn = .success(try await Self.signIn(through: client, base: base, signalling: server))
            } catch {
                signedIn = .failure(error)
            }
            try await client.shutdown()
            #expect(try signedIn.get() == 200)
            #expect(await server.waitForExit() == 0)

            let logs = server.stdout + server.stderr
            #expect(logs.contains("path=/api/v1/login"))
            #expect(!logs.contains("Tje0"))
            #expect(!logs.contains(Data("tje0:Tje0".utf8).base64EncodedString()))
        }
    }

    /// Signs tje0 in with the body split around a SIGTERM to `server`; the answer's status.
    static func signIn(through client: HTTPClient, base: String, signalling server: BackroomProcess.Running) async throws -> UInt {
        _ = try await client.execute(HTTPClientRequest(url: "\(base)/health"), timeout: .seconds(30)).body.collect(upTo: 1 << 20)
        let body = #"{"user": "tje0", "password": "Tje0"}"#
        let (chunks, sender) = AsyncStream.makeStream(of: ByteBuffer.self)
        var login = HTTPClientRequest(url: "\(base)/api/v1/login")
        login.method = .POST
        login.headers.add(name: "Content-Type", value: "application/json")
        login.body = .stream(chunks, length: .known(Int64(body.utf8.count)))
        async let inFlight = client.execute(login, timeout: .seconds(30))
        sender.yield(ByteBuffer(string: String(body.prefix(10))))
        // The server has the request's head: it counts the request as active.
        _ = await Poll.until {
            try await Self.text("\(base)/metrics").contains(#"http_server_active_requests{http_request_method="POST"} 1"#)
        }
        server.signal(SIGTERM)
        _ = await Poll.until { server.stdout.contains("shutting down: finishing what is under way") }
        sender.yield(ByteBuffer(string: String(body.dropFirst(10))))
        sender.finish()
        return try await inFlight.status.code
    }

    @Test func sigintStopsTooAndTheEnvironmentConfigures() async throws {
        try await TestDatabase.sqlite.withFresh { fresh async throws in
            let server = try BackroomProcess.start(
                ["serve"],
                environment: ["BACKROOM_PORT": "0", "BACKROOM_DATABASE": fresh.url, "BACKROOM_SERVER_KEY": "HQ-1", "BACKROOM_LOG_LEVEL": "notice"]
            )
            let port = try await server.listeningPort()
            let health = try await Self.get("http://127.0.0.1:\(port)/health")
            #expect(health.body["serverKey"] as? String == "HQ-1")
            server.signal(SIGINT)
            #expect(await server.waitForExit() == 0)
            #expect(!server.stdout.contains("path=/health"))
        }
    }
}
