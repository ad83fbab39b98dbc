import AsyncHTTPClient
import BackroomTestSupport
import Foundation
import NIOCore
import NIOFoundationCompat
import Testing

/// Issue 25: a store may be older than central. The store ↔ central exchanges as stores of
/// 2026-12-07 make them (sync protocol 1 and 2) are recorded in Tests/Fixtures/sync and
/// replayed in order against this build's central on both databases: each answer must have
/// the recorded status and every field the recorded answer had, of the same JSON type (a later
/// central may add fields), and a push's figures must be the recorded ones.
struct SyncFixtureReplayTests {
    struct Fixture {
        let name: String
        let method: String
        let path: String
        let headers: [String: String]
        let body: Any?
        let status: Int
        let answer: Any
    }

    static var folder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/sync")
    }

    static func fixtures() throws -> [Fixture] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted()
        return try names.map { name in
            let recorded = try #require(
                try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent(name))) as? [String: Any]
            )
            let request = try #require(recorded["request"] as? [String: Any])
            let answer = try #require(recorded["answer"] as? [String: Any])
            return Fixture(
                name: name,
                method: try #require(request["method"] as? String),
                path: try #require(request["path"] as? String),
                headers: try #require(request["headers"] as? [String: String]),
                body: request["body"].flatMap { $0 is NSNull ? nil : $0 },
                status: try #require(answer["status"] as? Int),
                answer: try #require(answer["body"])
            )
        }
    }

    /// Where `answer` lacks what `recorded` had, or has it as another JSON type.
    static func differences(_ recorded: Any, _ answer: Any, at path: String) -> [String] {
        switch (recorded, answer) {
        case (let recorded as [String: Any], let answer as [String: Any]):
            return recorded.keys.sorted().flatMap { key -> [String] in
                guard let value = answer[key] else { return ["\(path).\(key) is missing"] }
                let here = "\(path).\(key)"
                if ["applied", "highWater"].contains(key), "\(recorded[key]!)" != "\(value)" {
                    return ["\(here) is \(value), recorded \(recorded[key]!)"]
                }
                return differences(recorded[key]!, value, at: here)
            }
        case (let recorded as [Any], let answer as [Any]):
            guard answer.count >= recorded.count else { return ["\(path) has \(answer.count) entries, recorded at least \(recorded.count)"] }
            return zip(recorded, answer).enumerated().flatMap { differences($0.element.0, $0.element.1, at: "\(path)[\($0.offset)]") }
        case (is NSNull, is NSNull), (is String, is String):
            return []
        case (is NSNumber, is NSNumber):
            return []
        default:
            return type(of: recorded) == type(of: answer) ? [] : ["\(path) is \(answer), recorded \(recorded)"]
        }
    }

    @Test func theFixturesAreThere() throws {
        let names = try Self.fixtures().map(\.name)
        #expect(names.contains { $0.contains("protocol-1") } && names.contains { $0.contains("protocol-2") }, "\(names)")
    }

    @Test(arguments: TestDatabase.allCases)
    func everyRecordedExchangeIsAnsweredAsItWasRecorded(_ database: TestDatabase) async throws {
        try await database.withFresh { fresh async throws in
            let (central, base) = try await StoreLinkProcessTests.runningCentral(fresh.url)
            defer { central.signal(SIGKILL) }
            for fixture in try Self.fixtures() {
                var request = HTTPClientRequest(url: base + fixture.path)
                request.method = .init(rawValue: fixture.method)
                for (name, value) in fixture.headers { request.headers.add(name: name, value: value) }
                if let body = fixture.body {
                    request.headers.add(name: "Content-Type", value: "application/json")
                    request.body = .bytes(ByteBuffer(data: try JSONSerialization.data(withJSONObject: body)))
                }
                let response = try await ProcessHTTP.execute(request, timeout: .seconds(30))
                let bytes = try await response.body.collect(upTo: 64 << 20)
                #expect(Int(response.status.code) == fixture.status, "\(fixture.name)")
                let answer = try JSONSerialization.jsonObject(with: Data(buffer: bytes))
                let differences = Self.differences(fixture.answer, answer, at: "answer")
                #expect(differences.isEmpty, "\(fixture.name): \(differences)")
            }
        }
    }
}
