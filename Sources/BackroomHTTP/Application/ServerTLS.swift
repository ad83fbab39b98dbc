import BackroomCore
import BackroomSync
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import NIOSSL

/// This server's certificate chain and private key (`--tls-cert`, `--tls-key`), read and
/// checked when `serve` starts, so that a file that cannot be used stops it with the reason.
public struct ServerTLS: Sendable {
    /// The HTTP/1.1 server over TLS.
    let server: HTTPServerBuilder

    public static func loading(certificate: String, key: String) throws(ConfigurationError) -> ServerTLS {
        let chain = try OutboundTLS.certificates(in: certificate, option: "--tls-cert")
        let privateKey: NIOSSLPrivateKey
        do {
            privateKey = try NIOSSLPrivateKey(file: key, format: .pem)
        } catch {
            throw ConfigurationError("--tls-key \(key) is not a readable PEM private key: \(error)")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(privateKey))
        configuration.minimumTLSVersion = .tlsv12
        do {
            _ = try NIOSSLContext(configuration: configuration)
            return ServerTLS(server: try .tls(.http1(), tlsConfiguration: configuration))
        } catch {
            throw ConfigurationError("--tls-cert and --tls-key do not make a TLS server: \(error)")
        }
    }
}
