import AsyncHTTPClient
import BackroomTestSupport
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import Synchronization
import Testing

/// Reservations against real `backroom serve` processes: several at once on one database, and
/// one killed with SIGKILL under load.
struct ReservationProcessTests {
    static let tje0 = "Basic " + Data("tje0:Tje0".utf8).base64EncodedString()

    final class Acknowledged: Sendable {
        let ids = Mutex<[Int]>([])
    }

    static func reserve(_ base: String, _ body: String) async throws -> (status: UInt, id: Int?) {
        var request = HTTPClientRequest(url: "\(base)/servlets/services/reservation/10010")
        request.method = .POST
        request.headers.add(name: "Authorization", value: tje0)
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await ProcessHTTP.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        let json = (try? JSONSerialization.jsonObject(with: Data(buffer: bytes))) as? [String: Any]
        return (response.status.code, (json?["data"] as? [String: Any])?["resvId"] as? Int)
    }

    static func status(_ base: String, _ path: String) async throws -> UInt {
        try await answer(base, path).status
    }

    /// The status and body of a GET, the body to tell what went wrong when the status does.
    static func answer(_ base: String, _ path: String) async throws -> (status: UInt, body: String) {
        var request = HTTPClientRequest(url: "\(base)\(path)")
        request.headers.add(name: "Authorization", value: tje0)
        let response = try await ProcessHTTP.execute(request, timeout: .seconds(30))
        return (response.status.code, String(buffer: try await response.body.collect(upTo: 1 << 20)))
    }

    @Test(arguments: TestDatabase.allCases)
    func twoServersOnOneDatabaseNeverOversell(_ database: TestDatabase) async throws {
        try await database.withFresh { fresh async throws in
            let first = try BackroomProcess.start(["serve", "--demo", "--port", "0", "--database", fresh.url])
            defer { first.signal(SIGKILL) }
            let firstPort = try await first.listeningPort()
            let second = try BackroomProcess.start(["serve", "--port", "0", "--database", fresh.url])
            defer { second.signal(SIGKILL) }
            let secondPort = try await second.listeningPort()
            let bases = ["http://127.0.0.1:\(firstPort)", "http://127.0.0.1:\(secondPort)"]
            let statuses = try await withThrowingTaskGroup(of: UInt.self) { group in
                for index in 0..<200 {
                    group.addTask {
                        try await Self.reserve(bases[index % 2], #"{"items": [{"id": "Second-Test", "qty": 1}, {"id": "First-Test", "qty": 1}]}"#)
                            .status
                    }
                }
                return try await group.reduce(into: [UInt: Int]()) { $0[$1, default: 0] += 1 }
            }
            #expect(statuses == [201: 5, 400: 195])
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aServerKilledUnderLoadLosesNoReservationItAcknowledged(_ database: TestDatabase) async throws {
        try await database.withFresh { fresh async throws in
            let server = try BackroomProcess.start(["serve", "--demo", "--port", "0", "--database", fresh.url])
            defer { server.signal(SIGKILL) }
            let base = "http://127.0.0.1:\(try await server.listeningPort())"
            let acknowledged = Acknowledged()
            await withTaskGroup(of: Void.self) { group in
                for index in 0..<400 {
                    group.addTask {
                        let body = #"{"items": [{"id": "SKU-\#(String(format: "%05d", index % 50 + 1))", "qty": 1}]}"#
                        if let (status, id) = try? await Self.reserve(base, body), status == 201, let id {
                            let count = acknowledged.ids.withLock {
                                $0.append(id)
                                return $0.count
                            }
                            if count == 100 { server.signal(SIGKILL) }
                        }
                    }
                }
            }
            // Without 100 acknowledgements the kill never came; stop the server all the same.
            server.signal(SIGKILL)
            _ = await server.waitForExit()
            let ids = acknowledged.ids.withLock { $0 }
            #expect(ids.count >= 100, "killed only after the load, not under it")

            let restarted = try BackroomProcess.start(["serve", "--port", "0", "--database", fresh.url])
            defer { restarted.signal(SIGTERM) }
            let again = "http://127.0.0.1:\(try await restarted.listeningPort())"
            for id in ids {
                let answer = try await Self.answer(again, "/servlets/services/reservation/\(id)")
                #expect(answer.status == 200, "reservation \(id) of \(ids.count) acknowledged: \(answer.body)")
            }
        }
    }
}
