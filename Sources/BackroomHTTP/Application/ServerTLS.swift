import BackroomCore
import BackroomSync
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import NIOSSL

/// This server's certificate chain and private key (`--tls-cert`, `--tls-key`), read and
/// checked when `serve` starts, so that a file that cannot be used stops it with the reason.
public struct ServerTLS: Sendable {
    /// Checked when it was loaded: a context could be made of it.
    private let configuration: TLSConfiguration

    public static func loading(certificate: String, key: String) throws(ConfigurationError) -> ServerTLS {
        let chain = try OutboundTLS.certificates(in: certificate, option: "--tls-cert")
        let privateKey: NIOSSLPrivateKey
        do {
            privateKey = try NIOSSLPrivateKey(file: key, format: .pem)
        } catch {
            throw ConfigurationError("--tls-key \(key) is not a readable PEM private key: \(error)")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) },
            privateKey: .privateKey(privateKey)
        )
        configuration.minimumTLSVersion = .tlsv12
        do {
            _ = try NIOSSLContext(configuration: configuration)
            return ServerTLS(configuration: configuration)
        } catch {
            throw ConfigurationError("--tls-cert and --tls-key do not make a TLS server: \(error)")
        }
    }

    /// `http` over TLS.
    func server(_ http: HTTPServerBuilder) -> HTTPServerBuilder {
        // The configuration made a context when it was loaded; it makes one now.
        try! .tls(http, tlsConfiguration: configuration)
    }
}
