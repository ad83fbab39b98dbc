import AsyncHTTPClient
import BackroomCore
import NIOCore
import NIOSSL

/// What a server-to-server call over `https://` trusts: the system's certificate authorities,
/// and a private one's certificates when given (`--central-ca`, `--store-ca`). Read once, when
/// the process starts, so that a file that cannot be read stops `serve` with the reason.
public struct OutboundTLS: Sendable {
    public static let system = OutboundTLS(authority: [])

    private let authority: [NIOSSLCertificate]

    private init(authority: [NIOSSLCertificate]) {
        self.authority = authority
    }

    /// `option` names the option in the error: what an operator typed.
    public static func trusting(caFile path: String, option: String) throws(ConfigurationError) -> OutboundTLS {
        OutboundTLS(authority: try certificates(in: path, option: option))
    }

    /// The certificates of a PEM file, at least one; an error naming `option` otherwise.
    public static func certificates(in path: String, option: String) throws(ConfigurationError) -> [NIOSSLCertificate] {
        let certificates: [NIOSSLCertificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMFile(path)
        } catch {
            throw ConfigurationError("\(option) \(path) is not a readable PEM certificate file: \(error)")
        }
        guard !certificates.isEmpty else { throw ConfigurationError("\(option) \(path) holds no certificate") }
        return certificates
    }

    /// A client's TLS settings: the system's roots, and the private authority's besides.
    public var configuration: TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if !authority.isEmpty { configuration.additionalTrustRoots = [.certificates(authority)] }
        return configuration
    }

    /// One request and its whole answer (at most `limit` bytes), on the process's shared client
    /// when only the system's authorities are trusted, else on a client of its own.
    public func execute(_ request: HTTPClientRequest, timeout: TimeAmount, limit: Int) async throws -> (HTTPClientResponse, ByteBuffer) {
        guard !authority.isEmpty else {
            let answer = try await HTTPClient.shared.execute(request, timeout: timeout)
            return (answer, try await answer.body.collect(upTo: limit))
        }
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: configuration))
        do {
            let answer = try await client.execute(request, timeout: timeout)
            let body = try await answer.body.collect(upTo: limit)
            try await client.shutdown()
            return (answer, body)
        } catch {
            try? await client.shutdown()
            throw error
        }
    }
}

extension OutboundTLS {
    /// A failed TLS handshake in an operator's words, naming the option that fixes it; nil for
    /// any other failure. BoringSSL says only that verification failed, not why.
    public static func explain(_ error: any Error, option: String) -> String? {
        guard case NIOSSLError.handshakeFailed(let cause) = error else { return nil }
        if "\(cause)".contains("CERTIFICATE_VERIFY_FAILED") {
            return
                "its TLS certificate is not trusted: issued by an authority neither the system nor \(option) trusts, expired or not yet valid, or for another name (\(cause))"
        }
        return "the TLS handshake failed (\(cause))"
    }
}
