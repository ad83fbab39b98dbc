import AsyncHTTPClient
import BackroomTestSupport
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// No secret in clear anywhere: a central and a store run a whole scenario with fresh secrets
/// (a user's passwords and a wrong one, an API token, a browser session and its XSRF token, a
/// store's rotated sync token, an HTTP connector's token), then every line both processes wrote,
/// every byte of both databases and every file of the ERP folder are searched for each of them.
struct SecretsAtRestProcessTests {
    struct Answer {
        let status: UInt
        let json: [String: Any]
        let cookies: [String]
    }

    static func call(
        _ method: HTTPMethod,
        _ url: String,
        authorization: String?,
        cookie: String? = nil,
        xsrf: String? = nil,
        body: String? = nil
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let authorization { request.headers.add(name: "Authorization", value: authorization) }
        if let cookie { request.headers.add(name: "Cookie", value: cookie) }
        if let xsrf { request.headers.add(name: "X-XSRF-TOKEN", value: xsrf) }
        request.headers.add(name: "Content-Type", value: "application/json")
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await ProcessHTTP.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        let json = (try? JSONSerialization.jsonObject(with: Data(buffer: bytes))) as? [String: Any] ?? [:]
        return Answer(status: response.status.code, json: json, cookies: response.headers["Set-Cookie"].map { String($0.split(separator: ";")[0]) })
    }

    static func basic(_ user: String, _ password: String) -> String {
        "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
    }

    /// Every byte a database holds, as text to search: SQLite's files as they are (the WAL too),
    /// PostgreSQL's rows as `pg_dump` writes them.
    static func contents(of database: FreshDatabase) throws -> Data {
        if let folder = database.folder {
            var all = Data()
            for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
                all += (try? Data(contentsOf: URL(fileURLWithPath: folder).appendingPathComponent(name))) ?? Data()
            }
            return all
        }
        let dump = Process()
        dump.executableURL = URL(fileURLWithPath: "/usr/lib/postgresql/15/bin/pg_dump")
        dump.arguments = ["--data-only", "--dbname", database.url]
        let output = Pipe()
        dump.standardOutput = output
        try dump.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        dump.waitUntilExit()
        #expect(dump.terminationStatus == 0 && data.count > 10_000, "pg_dump read the database")
        return data
    }

    static func files(under folder: URL) -> Data {
        var all = Data()
        for case let file as URL in FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) ?? FileManager.DirectoryEnumerator() {
            all += (try? Data(contentsOf: file)) ?? Data()
        }
        return all
    }

    @Test(arguments: TestDatabase.allCases)
    func noSecretUsedIsFoundInAnyLogDatabaseOrFile(_ database: TestDatabase) async throws {
        let erpFolder = FileManager.default.temporaryDirectory.appendingPathComponent("secrets-erp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: erpFolder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: erpFolder) }
        let secret = { (what: String) in "\(what)-\(UUID().uuidString.prefix(13))" }
        let password = secret("Pw1")
        let newPassword = secret("Pw2")
        let wrongPassword = secret("Wrong")
        let connectorToken = secret("erp-token")
        let chosen = [password, newPassword, wrongPassword, connectorToken]

        try await StoreLinkProcessTests.withCentralAndStore(database) { central, store in
            let admin = Self.basic("admin", "admin")
            let made = try await Self.call(
                .POST,
                "\(central.base)/api/v1/users",
                authorization: admin,
                body: #"{"name": "auditor", "password": "\#(password)", "rights": ["admin"]}"#
            )
            #expect(made.status == 201)
            #expect(try await Self.call(.GET, "\(central.base)/api/v1/me", authorization: Self.basic("auditor", password)).status == 200)
            #expect(try await Self.call(.GET, "\(central.base)/api/v1/me", authorization: Self.basic("auditor", wrongPassword)).status == 401)
            let changed = try await Self.call(
                .PATCH,
                "\(central.base)/api/v1/users/auditor",
                authorization: Self.basic("auditor", password),
                body: #"{"password": "\#(newPassword)", "oldPassword": "\#(password)"}"#
            )
            #expect(changed.status == 200)

            let token = try #require(
                (try await Self.call(.POST, "\(central.base)/api/v1/tokens", authorization: Self.basic("auditor", newPassword), body: "{}")
                    .json["data"] as? [String: Any])?["token"] as? String
            )
            #expect(try await Self.call(.GET, "\(central.base)/api/v1/me", authorization: "Bearer \(token)").status == 200)

            let login = try await Self.call(
                .POST,
                "\(central.base)/api/v1/login",
                authorization: nil,
                body: #"{"user": "auditor", "password": "\#(newPassword)"}"#
            )
            let cookie = login.cookies.joined(separator: "; ")
            let session = try #require(login.cookies.first { $0.hasPrefix("backroom_session=") }).split(separator: "=", maxSplits: 1)[1]
            let xsrf = try #require(login.cookies.first { $0.hasPrefix("XSRF-TOKEN=") }).split(separator: "=", maxSplits: 1)[1]
            #expect(
                try await Self.call(
                    .PUT,
                    "\(central.base)/api/v1/preferences/OBMOBC_Ping_Periodicity",
                    authorization: nil,
                    cookie: cookie,
                    xsrf: String(xsrf),
                    body: #"{"value": 60}"#
                ).status == 200
            )

            let rotated = try await Self.call(.POST, "\(central.base)/api/v1/servers/VALLBLANCA/token", authorization: admin, body: "{}")
            let storeToken = try #require((rotated.json["data"] as? [String: Any])?["token"] as? String)
            #expect(try await StoreLinkProcessTests.eventually { store.process.stdout.contains("central gave this store a new sync token") })

            let agent = "\(central.base)/api/v1/Agents/ErpSync"
            let connector = try await Self.call(
                .POST,
                "\(agent)/SaveErpSyncConnectorEntity",
                authorization: admin,
                body: #"{"ErpConnectorId": 0, "DisplayName": "ERP", "URL": "http://127.0.0.1:9/erp"}"#
            )
            let connectorId = try #require(connector.json["ErpConnectorId"] as? Int)
            let delivery = try await Self.call(
                .POST,
                "\(agent)/SaveConnection",
                authorization: admin,
                body: #"{"Connection": {"ErpConnectionId": 0, "ErpConnectorId": \#(connectorId), "ConfigFields": {"token": "\#(connectorToken)"}}}"#
            )
            #expect(delivery.status == 200)
            let files = try await Self.call(
                .POST,
                "\(agent)/SaveConnection",
                authorization: admin,
                body: #"{"Connection": {"ErpConnectionId": 0, "ErpConnectorId": 3, "ConfigFields": {"folder": "\#(erpFolder.path)"}}}"#
            )
            #expect(files.status == 200)
            _ = try await Self.call(.POST, "\(agent)/ForceSyncAll", authorization: admin, body: "{}")
            #expect(
                try await StoreLinkProcessTests.eventually { FileManager.default.fileExists(atPath: erpFolder.appendingPathComponent("out").path) }
            )

            let used = chosen + [token, String(session), String(xsrf), storeToken]
            let basics = [("auditor", password), ("auditor", newPassword), ("auditor", wrongPassword)].map {
                Self.basic($0.0, $0.1).dropFirst("Basic ".count)
            }
            let everything = [
                Data(central.process.stdout.utf8), Data(central.process.stderr.utf8), Data(store.process.stdout.utf8),
                Data(store.process.stderr.utf8),
                try Self.contents(of: central.database), try Self.contents(of: store.database), Self.files(under: erpFolder),
            ]
            for needle in used + basics.map(String.init) {
                #expect(!everything.contains { $0.range(of: Data(needle.utf8)) != nil }, "\(needle.prefix(6))… found in clear")
            }
            #expect(
                central.process.stdout.contains("auditor") || central.process.stdout.contains("/api/v1/me"),
                "the logs were searched, and they log requests"
            )
        }
    }
}
