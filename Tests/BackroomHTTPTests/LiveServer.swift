import AsyncHTTPClient
import BackroomCore
import BackroomHTTP
import BackroomSecurity
import BackroomStorage
import BackroomSync
import BackroomTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization

/// A real server on a loopback socket over a fresh database with the demo users.
enum LiveServer {
    /// The demo's load-test products a live server has: SKU-00001 to SKU-00100.
    static let loadTestProducts = 100
    static let demoStock = DemoData.stock(loadTestProducts: loadTestProducts)
    /// The ERP root of every live server: a folder of its own in the temporary directory, so
    /// that a test can make a folder outside it anywhere else there (`withErpFolder` makes
    /// folders inside).
    static let erpRootFolder: URL = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("backroom-test-erp-root")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }()
    static let erpRoot = ErpRoot(erpRootFolder.path)
    /// The test client opens its connection when the server starts and keeps it through the
    /// test's own work before its first request: only the tests of the deadlines shorten them.
    static let patientConnections = ConnectionLimits(headerSeconds: 600, idleSeconds: 600)
    /// Tests' ERP endpoints listen on loopback, which an operator allows with --connector-allow.
    static let loopbackAllowed = try! ConnectorAllowList(parsing: ["127.0.0.1"])

    static func run<Result: Sendable>(
        on database: TestDatabase,
        bodyLimit: Int = ServerSettings.defaultBodyLimit,
        timeZone: TimeZone = TimeZone(identifier: "UTC")!,
        clock: BackroomClock = .system,
        trustedProxies: [AddressRange] = [],
        connectorAllow: ConnectorAllowList = LiveServer.loopbackAllowed,
        connections: ConnectionLimits = LiveServer.patientConnections,
        logger: Logger = TestLogger.quiet,
        _ test: @escaping @Sendable (any TestClientProtocol, any BackroomStorage) async throws -> Result
    ) async throws -> Result {
        try await run(
            on: database,
            bodyLimit: bodyLimit,
            timeZone: timeZone,
            clock: clock,
            trustedProxies: trustedProxies,
            connectorAllow: connectorAllow,
            connections: connections,
            logger: logger
        ) { client, storage, _ in
            try await test(client, storage)
        }
    }

    /// The same, with the database itself at hand too (to hold its locks, say).
    static func run<Result: Sendable>(
        on database: TestDatabase,
        bodyLimit: Int = ServerSettings.defaultBodyLimit,
        timeZone: TimeZone = TimeZone(identifier: "UTC")!,
        clock: BackroomClock = .system,
        trustedProxies: [AddressRange] = [],
        connectorAllow: ConnectorAllowList = LiveServer.loopbackAllowed,
        connections: ConnectionLimits = LiveServer.patientConnections,
        logger: Logger = TestLogger.quiet,
        _ test: @escaping @Sendable (any TestClientProtocol, any BackroomStorage, FreshDatabase) async throws -> Result
    ) async throws -> Result {
        // Where a process bootstraps its logging; tests log to their own handlers.
        ProcessMetrics.bootstrap()
        return try await database.withStorage(clock: clock) { storage, fresh async throws in
            try await DemoLoader.load(into: storage, origin: .central, stock: LiveServer.demoStock, hashPassword: DemoPasswords.shared.hash)
            let settings = ServerSettings(
                role: .central,
                serverKey: .central,
                host: "127.0.0.1",
                port: 0,
                bodyLimit: bodyLimit,
                timeZone: timeZone,
                clock: clock,
                trustedProxies: trustedProxies,
                erpRoot: LiveServer.erpRoot,
                connectorAllow: connectorAllow,
                connections: connections
            )
            // Store links are listed, never asked: a test's registry stays as the test wrote it.
            let server = BackroomServer(storage: storage, settings: settings, centralLink: nil, askStores: false, logger: logger)
            try await server.open()
            let app = server.application
            // The reservation queue and the engine run beside the server, as `serve` runs them,
            // until the test is done.
            return try await withThrowingTaskGroup(of: Result?.self) { group in
                for (_, service) in server.foundations + server.background {
                    group.addTask {
                        try await service.run()
                        return nil
                    }
                }
                group.addTask { try await app.test(.live) { client in try await test(client, storage, fresh) } }
                defer { group.cancelAll() }
                while let result = try await group.next() {
                    if let result { return result }
                }
                throw CancellationError()
            }
        }
    }

    static func basic(_ user: String, _ password: String) -> HTTPFields {
        [.authorization: "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()]
    }

    /// Basic credentials of tje0 (rights reservation, atp, erpsync; shop 10010) and a JSON body.
    static func tje0JSON(_ extra: HTTPFields = [:]) -> HTTPFields {
        var headers = basic("tje0", "Tje0")
        headers[.contentType] = "application/json"
        for field in extra { headers.append(field) }
        return headers
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

    var statusCode: Int { Int(status.code) }

    /// The codes of the envelope's `exceptions`.
    var exceptionCodes: [String] {
        get throws { (try json["exceptions"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String } }
    }

    /// The `sourceField`s of the envelope's `errors`.
    var errorFields: [String] {
        get throws { (try json["errors"] as? [[String: Any]] ?? []).compactMap { $0["sourceField"] as? String } }
    }

    var data: [String: Any]? {
        get throws { try json["data"] as? [String: Any] }
    }
}

extension TestClientProtocol {
    func reserve(_ body: String, shop: Int = 10010, headers: HTTPFields = LiveServer.tje0JSON()) async throws -> TestResponse {
        try await executeRequest(
            uri: "/servlets/services/reservation/\(shop)",
            method: .post,
            headers: headers,
            body: ByteBuffer(string: body)
        )
    }

    func call(
        _ method: HTTPRequest.Method,
        _ uri: String,
        body: String? = nil,
        headers: HTTPFields = LiveServer.tje0JSON()
    ) async throws -> TestResponse {
        try await executeRequest(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }

    /// ATP rows by product id.
    func availability(_ ids: String, shop: Int = 10010, query: String = "") async throws -> [String: [String: Any]] {
        let response = try await call(.get, "/servlets/services/atp/\(shop)/\(ids)\(query)")
        let rows = try response.json["data"] as? [[String: Any]] ?? []
        return Dictionary(rows.map { ($0["id"] as? String ?? "", $0) }, uniquingKeysWith: { first, _ in first })
    }
}

/// A clock that stands still until a test moves it on, so that a reservation is held
/// or has run out whatever the load on the machine.
final class StoppedClock: Sendable {
    private let millis = Mutex(BackroomClock.system.nowMillis())

    var clock: BackroomClock { BackroomClock { self.millis.withLock { $0 } } }

    func advance(by duration: Duration) {
        millis.withLock { $0 += duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000 }
    }
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

extension TestClientProtocol {
    /// Sends `count` requests at once, each on a connection of its own, and returns their
    /// statuses by index. The test client has a single connection, on which a server answers one
    /// request after another, so it cannot show what concurrent requests do.
    func concurrentStatuses(
        _ count: Int,
        _ method: HTTPRequest.Method,
        _ uri: String,
        headers: @escaping @Sendable (Int) -> HTTPFields,
        body: @escaping @Sendable (Int) -> String? = { _ in nil }
    ) async throws -> [HTTPResponse.Status] {
        guard let port else { throw HTTPError(.internalServerError, message: "not a live server") }
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = count
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            let statuses = try await withThrowingTaskGroup(of: (Int, HTTPResponse.Status).self) { group in
                for index in 0..<count {
                    group.addTask {
                        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(uri)")
                        request.method = .init(rawValue: method.rawValue)
                        for field in headers(index) { request.headers.add(name: field.name.rawName, value: field.value) }
                        if let text = body(index) { request.body = .bytes(ByteBuffer(string: text)) }
                        let response = try await client.execute(request, timeout: .seconds(60))
                        _ = try await response.body.collect(upTo: 1 << 20)
                        return (index, HTTPResponse.Status(code: Int(response.status.code)))
                    }
                }
                return try await group.reduce(into: [Int: HTTPResponse.Status]()) { $0[$1.0] = $1.1 }
            }
            try await client.shutdown()
            return (0..<count).compactMap { statuses[$0] }
        } catch {
            try? await client.shutdown()
            throw error
        }
    }
}
