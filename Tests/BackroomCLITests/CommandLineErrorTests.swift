import BackroomTestSupport
import Foundation
import Testing

struct CommandLineHelpTests {
    @Test(arguments: [
        [], ["serve"], ["migrate"], ["demo"], ["user", "add"], ["token", "create"],
        ["preference", "set"], ["server", "add"], ["stock", "set"],
    ])
    func everyCommandExplainsItself(_ command: [String]) async throws {
        let outcome = try await BackroomProcess.run(command + ["--help"])
        #expect(outcome.status == 0)
        #expect(outcome.stdout.contains("USAGE"))
    }
}

struct CommandLineErrorTests {
    /// Fails before touching any database, so a scratch folder is enough.
    static let badArguments: [([String], [String: String])] = [
        (["serve", "--port", "99999"], [:]),
        (["serve", "--role", "cashier"], [:]),
        (["serve", "--database", "mysql://shop:hunter2@db/backroom"], [:]),
        (["serve", "--database", "postgres://shop:hunter2@db:70000/backroom"], [:]),
        (["serve", "--role", "store"], [:]),
        (["serve", "--role", "store", "--server-key", "NORTE", "--central-url", "central:8080", "--central-token", "t"], [:]),
        (
            [
                "serve", "--role", "store", "--server-key", "NORTE", "--central-url", "http://a:8080", "--central-url", "b:8080", "--central-token",
                "t",
            ], [:]
        ),
        (["serve", "--role", "store", "--server-key", "NORTE", "--central-token", "t"], ["BACKROOM_CENTRAL_URL": "http://a:8080,b:8080"]),
        (["serve", "--role", "store", "--server-key", "NORTE", "--central-url", "http://central:8080", "--central-token", "t", "--demo"], [:]),
        (["serve", "--server-key", "bad key"], [:]),
        (["serve", "--frobnicate"], [:]),
        (["serve", "--log-level", "loud"], [:]),
        (["serve"], ["BACKROOM_PORT": "eighty"]),
        (["serve"], ["BACKROOM_ROLE": "warehouse"]),
        (["serve"], ["BACKROOM_DEMO": "perhaps"]),
        (["serve", "--tls-cert", "/nonexistent/cert.pem", "--tls-key", "/nonexistent/key.pem"], [:]),
        (["serve", "--tls-cert", "/nonexistent/cert.pem"], [:]),
        (["serve"], ["BACKROOM_TLS_KEY": "/nonexistent/key.pem"]),
        (
            [
                "serve", "--role", "store", "--server-key", "NORTE", "--central-url", "https://central", "--central-token", "t", "--central-ca",
                "/nonexistent/ca.pem",
            ], [:]
        ),
        (["serve", "--store-ca", "/nonexistent/ca.pem"], [:]),
        (["migrate", "--database", "sqlite:"], [:]),
        (["preference", "set", "OBMOBC_TransitionToOfflineWait", "600001"], [:]),
        (["preference", "set", "OBMOBC_ReadTimeoutForcesOffline", "yes"], [:]),
        (["preference", "set", "OBMOBC_Ping_Periodicty", "60"], [:]),
        (["user", "add", "clerk", "--password", "hunter2", "--right", "superuser"], [:]),
        (["user", "add", "cl:erk", "--password", "hunter2"], [:]),
        (["user", "add", "clerk"], [:]),
        (["server", "add", "NORTE", "--url", "ftp://10.0.0.2"], [:]),
        (["server", "add", "NORTE", "--url", "http://10.0.0.2", "--type", "kiosk"], [:]),
        (["stock", "set", "--shop", "10010", "--product", "A", "--qty", "-1"], [:]),
        (["stock", "set", "--shop", "ten", "--product", "A", "--qty", "1"], [:]),
        (["token", "create"], [:]),
        (["connection", "add", "erp-files"], [:]),
        (["connection", "add", "ftp", "--folder", "/srv/erp"], [:]),
        (["connection", "add", "store-link", "--folder", "/srv/erp"], [:]),
        (["connection", "remove", "one"], [:]),
    ]

    @Test(arguments: badArguments)
    func aBadArgumentIsOneLineAndExitCode2(_ arguments: [String], _ environment: [String: String]) async throws {
        let folder = try Scratch.folder()
        let outcome = try await BackroomProcess.run(arguments, environment: environment, in: folder)
        #expect(outcome.status == 2, "\(arguments): \(outcome.stderr)")
        #expect(outcome.stderrLines.count == 1, "\(arguments): \(outcome.stderr)")
        #expect(outcome.stderr.hasPrefix("backroom: "))
        #expect(!outcome.stderr.contains("hunter2"))
    }

    @Test(arguments: TestDatabase.allCases)
    func unknownReferencesAreBadArgumentsToo(_ database: TestDatabase) async throws {
        try await database.withFresh { fresh async throws in
            for arguments in [
                ["stock", "set", "--shop", "10030", "--product", "A", "--qty", "1"],
                ["token", "create", "--user", "nobody"],
            ] {
                let outcome = try await BackroomProcess.run(arguments + ["--database", fresh.url])
                #expect(outcome.status == 2, "\(arguments): \(outcome.stderr)")
                #expect(outcome.stderrLines.count == 1, "\(arguments): \(outcome.stderr)")
            }
        }
    }

    @Test(arguments: [["migrate"], ["serve", "--port", "0"], ["demo"]])
    func anUnreachableDatabaseIsOneLineNoTraceNoPassword(_ command: [String]) async throws {
        let outcome = try await BackroomProcess.run(
            command + ["--database", "postgres://shop:hunter2@127.0.0.1:1/backroom?sslmode=disable"]
        )
        #expect(outcome.status == 1, "\(outcome.stderr)")
        #expect(outcome.stderrLines.count == 1, "\(outcome.stderr)")
        #expect(outcome.stderr.contains("postgres://shop:***@127.0.0.1:1/backroom"))
        #expect(!outcome.stderr.contains("hunter2"))
        #expect(!outcome.stdout.contains("hunter2"))
    }

    @Test func anUnopenableSQLiteFileIsOneLine() async throws {
        let outcome = try await BackroomProcess.run(["migrate", "--database", "sqlite:/nonexistent/folder/backroom.sqlite"])
        #expect(outcome.status == 1)
        #expect(outcome.stderrLines.count == 1, "\(outcome.stderr)")
        #expect(outcome.stderr.contains("sqlite:/nonexistent/folder/backroom.sqlite"))
    }
}

enum Scratch {
    static func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("backroom-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }
}
