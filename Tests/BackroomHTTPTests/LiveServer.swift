import BackroomCore
import BackroomHTTP
import BackroomSecurity
import BackroomStorage
import BackroomTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization

/// A real server on a loopback socket over a fresh database with the demo users.
enum LiveServer {
    static func run<Result: Sendable>(
        on database: TestDatabase,
        bodyLimit: Int = ServerSettings.defaultBodyLimit,
        logger: Logger = TestLogger.quiet,
        _ test: @escaping @Sendable (any TestClientProtocol, any BackroomStorage) async throws -> Result
    ) async throws -> Result {
        try await database.withStorage { storage, _ async throws in
            try await DemoLoader.load(into: storage, origin: .central)
            let settings = ServerSettings(role: .central, serverKey: .central, host: "127.0.0.1", port: 0, bodyLimit: bodyLimit)
            let app = BackroomApplication.build(storage: storage, settings: settings, logger: logger)
            return try await app.test(.live) { client in try await test(client, storage) }
        }
    }

    static func basic(_ user: String, _ password: String) -> HTTPFields {
        [.authorization: "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()]
    }
}

extension TestResponse {
    /// The body as JSON, for asserting on an envelope or report.
    var json: [String: Any] {
        get throws {
            let object = try JSONSerialization.jsonObject(with: Data(buffer: body))
            guard let dictionary = object as? [String: Any] else { throw BodyIsNotAnObject() }
            return dictionary
        }
    }

    struct BodyIsNotAnObject: Error {}
}

/// Keeps every log record, so that tests can assert what is logged and what never is.
final class LogRecorder: Sendable {
    struct Record: Sendable {
        let level: Logger.Level
        let message: String
        let metadata: [String: String]

        var text: String {
            ([message] + metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }).joined(separator: " ")
        }
    }

    private let storage = Mutex<[Record]>([])

    var records: [Record] { storage.withLock { $0 } }

    var logger: Logger {
        Logger(label: "recorded") { _ in Handler(recorder: self) }
    }

    fileprivate func append(_ record: Record) {
        storage.withLock { $0.append(record) }
    }

    private struct Handler: LogHandler {
        let recorder: LogRecorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            recorder.append(Record(level: event.level, message: "\(event.message)", metadata: merged.mapValues { "\($0)" }))
        }
    }
}
