import AsyncHTTPClient
import BackroomTestSupport
import Foundation
import NIOCore
import NIOSSL
import Testing

/// HTTPS on every hop, with certificates of a private authority the test makes: central serves
/// HTTPS (HSTS on the console, `Secure` cookies), a store reaches it trusting that authority,
/// and central probes an HTTPS store likewise; a certificate that cannot be trusted or has
/// expired is refused with the reason, and the side that met it counts the other OFF.
struct TLSProcessTests {
    /// A client that trusts `authority`, for the test's own requests; shut down by `body`'s end.
    static func withClient<Result>(trusting authority: String, _ body: (HTTPClient) async throws -> Result) async throws -> Result {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.additionalTrustRoots = [.file(authority)]
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        configuration.redirectConfiguration = .disallow
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            let result = try await body(client)
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    static func withFolder<Result>(_ body: (URL) async throws -> Result) async throws -> Result {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("backroom-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        return try await body(folder)
    }

    static func startStore(
        _ database: String,
        central: String,
        authority: String?,
        tls: (certificate: String, key: String)? = nil
    ) throws -> BackroomProcess.Running {
        try BackroomProcess.start(
            [
                "serve", "--role", "store", "--server-key", "VALLBLANCA", "--port", "0", "--central-url", central, "--central-token",
                "demo-vallblanca-token",
                "--database", database,
            ] + (authority.map { ["--central-ca", $0] } ?? []) + (tls.map { ["--tls-cert", $0.certificate, "--tls-key", $0.key] } ?? [])
        )
    }

    @Test func aStoreLinksToCentralOverHTTPSTrustingAPrivateAuthority() async throws {
        try await Self.withFolder { folder in
            let authority = try TestCertificates(folder: folder)
            let pair = try authority.server(named: "central")
            try await TestDatabase.sqlite.withFresh { centralDatabase async throws in
                try await TestDatabase.sqlite.withFresh { storeDatabase async throws in
                    let central = try BackroomProcess.start([
                        "serve", "--demo", "--port", "0", "--database", centralDatabase.url, "--tls-cert", pair.certificate, "--tls-key", pair.key,
                    ])
                    defer { central.signal(SIGKILL) }
                    let base = "https://localhost:\(try await central.listeningPort())"
                    #expect(central.stdout.contains("url=https://"))
                    try await Self.withClient(trusting: authority.authority) { client in
                        #expect(try await client.execute(HTTPClientRequest(url: "\(base)/health"), timeout: .seconds(30)).status == .ok)
                        let page = try await client.execute(HTTPClientRequest(url: "\(base)/signin"), timeout: .seconds(30))
                        #expect(page.headers.first(name: "Strict-Transport-Security") == "max-age=31536000")
                        var signIn = HTTPClientRequest(url: "\(base)/signin")
                        signIn.method = .POST
                        signIn.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
                        signIn.body = .bytes(ByteBuffer(string: "user=admin&password=admin"))
                        let cookies = try await client.execute(signIn, timeout: .seconds(30)).headers["Set-Cookie"]
                        #expect(cookies.count == 2 && cookies.allSatisfy { $0.contains("; Secure") }, "\(cookies)")
                    }

                    let store = try Self.startStore(storeDatabase.url, central: base, authority: authority.authority)
                    defer { store.signal(SIGKILL) }
                    let storeBase = "http://127.0.0.1:\(try await store.listeningPort())"
                    #expect(
                        try await StoreLinkProcessTests.eventually(within: .seconds(60)) {
                            try await StoreLinkProcessTests.status(storeBase, of: "VALLBLANCA") == "ON"
                        },
                        "\(store.stdout.suffix(2000))"
                    )
                    #expect(try await StoreLinkProcessTests.reserve(storeBase).status == 201, "forwarded to central over HTTPS")
                }
            }
        }
    }

    enum BadCertificate: String, CaseIterable, Sendable {
        case otherAuthority, expired
    }

    @Test(arguments: BadCertificate.allCases)
    func aCertificateTheStoreCannotTrustKeepsItOffWithTheReason(_ bad: BadCertificate) async throws {
        try await Self.withFolder { folder in
            let trusted = try TestCertificates(folder: folder)
            let pair =
                switch bad {
                case .otherAuthority: try TestCertificates(folder: folder, commonName: "Somebody else").server(named: "central")
                case .expired: try trusted.server(named: "central", notBefore: Date() - 2 * 86_400, notAfter: Date() - 86_400)
                }
            try await TestDatabase.sqlite.withFresh { centralDatabase async throws in
                try await TestDatabase.sqlite.withFresh { storeDatabase async throws in
                    let central = try BackroomProcess.start([
                        "serve", "--demo", "--port", "0", "--database", centralDatabase.url, "--tls-cert", pair.certificate, "--tls-key", pair.key,
                    ])
                    defer { central.signal(SIGKILL) }
                    let base = "https://localhost:\(try await central.listeningPort())"
                    let store = try Self.startStore(storeDatabase.url, central: base, authority: trusted.authority)
                    defer { store.signal(SIGKILL) }
                    let storeBase = "http://127.0.0.1:\(try await store.listeningPort())"
                    #expect(try await StoreLinkProcessTests.eventually { store.stdout.contains("link to central failed") })
                    let failure = try #require(store.stdout.split(separator: "\n").first { $0.contains("link to central failed") })
                    #expect(
                        failure.contains("its TLS certificate is not trusted") && failure.contains("--central-ca"),
                        "the reason, and what fixes it: \(failure)"
                    )
                    #expect(try await StoreLinkProcessTests.status(storeBase, of: "VALLBLANCA") == "OFF")
                    #expect(!central.stdout.contains("path=/sync/v1/bootstrap status=200"), "nothing was exchanged")
                }
            }
        }
    }

    @Test func centralProbesAnHTTPSStoreTrustingItsAuthorityAndRefusesOneItCannot() async throws {
        try await Self.withFolder { folder in
            let authority = try TestCertificates(folder: folder)
            let stranger = try TestCertificates(folder: folder, commonName: "Somebody else")
            try await TestDatabase.sqlite.withFresh { centralDatabase async throws in
                try await TestDatabase.sqlite.withFresh { storeDatabase async throws in
                    try await TestDatabase.sqlite.withFresh { otherDatabase async throws in
                        let central = try BackroomProcess.start([
                            "serve", "--demo", "--port", "0", "--database", centralDatabase.url, "--store-ca", authority.authority,
                        ])
                        defer { central.signal(SIGKILL) }
                        let base = "http://127.0.0.1:\(try await central.listeningPort())"
                        let store = try Self.startStore(storeDatabase.url, central: base, authority: nil, tls: try authority.server(named: "store"))
                        defer { store.signal(SIGKILL) }
                        let storePort = try await store.listeningPort()
                        let other = try Self.startStore(otherDatabase.url, central: base, authority: nil, tls: try stranger.server(named: "other"))
                        defer { other.signal(SIGKILL) }
                        let otherPort = try await other.listeningPort()

                        #expect(
                            try await StoreLinkProcessTests.json(
                                .PATCH,
                                "\(base)/api/v1/servers/VALLBLANCA",
                                body: #"{"url": "https://localhost:\#(storePort)"}"#
                            ).status == 200
                        )
                        let added = try await StoreLinkProcessTests.json(
                            .POST,
                            "\(base)/api/v1/servers",
                            body: #"{"key": "NORTE", "type": "store", "name": "Norte", "url": "https://localhost:\#(otherPort)", "shops": []}"#
                        )
                        #expect(added.status == 201, "\(added.json)")
                        // The store says OFF itself until its link has worked: asked again until it says more.
                        var trusted: [String: Any] = [:]
                        #expect(
                            try await StoreLinkProcessTests.eventually(within: .seconds(60)) {
                                trusted =
                                    try await StoreLinkProcessTests.json(.POST, "\(base)/api/v1/servers/VALLBLANCA/probe").json["data"]
                                    as? [String: Any] ?? [:]
                                return ["TON", "ON"].contains(trusted["status"] as? String)
                            },
                            "\(trusted)"
                        )
                        #expect(
                            (trusted["offlineLog"] as? String)?.localizedCaseInsensitiveContains("certificate") != true,
                            "its certificate never refused"
                        )
                        let refused = try await StoreLinkProcessTests.json(.POST, "\(base)/api/v1/servers/NORTE/probe")
                        let row = try #require(refused.json["data"] as? [String: Any])
                        #expect(row["status"] as? String == "OFF")
                        #expect((row["offlineLog"] as? String)?.contains("its TLS certificate is not trusted") == true, "\(row)")
                    }
                }
            }
        }
    }
}
