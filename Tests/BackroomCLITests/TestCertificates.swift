import Crypto
import Foundation
import X509

/// A private certificate authority made for one test, and server certificates it issues for
/// `localhost`, written as PEM files in a folder of their own.
struct TestCertificates {
    let folder: URL
    private let name: DistinguishedName
    private let key: P256.Signing.PrivateKey

    /// The authority's certificate, to trust.
    var authority: String { folder.appendingPathComponent("ca-\(id).pem").path }
    private let id = UUID().uuidString.prefix(8)

    init(folder: URL, commonName: String = "Backroom test CA") throws {
        self.folder = folder
        key = P256.Signing.PrivateKey()
        name = try DistinguishedName { CommonName(commonName) }
        let now = Date()
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: .init(key.publicKey),
            notValidBefore: now - 3600,
            notValidAfter: now + 86_400,
            issuer: name,
            subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            },
            issuerPrivateKey: .init(key)
        )
        try certificate.serializeAsPEM().pemString.write(toFile: authority, atomically: true, encoding: .utf8)
    }

    /// A certificate for `localhost` valid from `notBefore` to `notAfter`: the paths of it and its key.
    func server(named file: String, notBefore: Date = Date() - 3600, notAfter: Date = Date() + 86_400) throws -> (certificate: String, key: String) {
        let serverKey = P256.Signing.PrivateKey()
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: .init(serverKey.publicKey),
            notValidBefore: notBefore,
            notValidAfter: notAfter,
            issuer: name,
            subject: try DistinguishedName { CommonName("localhost") },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                SubjectAlternativeNames([.dnsName("localhost")])
                try ExtendedKeyUsage([.serverAuth])
            },
            issuerPrivateKey: .init(key)
        )
        let paths = (folder.appendingPathComponent("\(file).pem").path, folder.appendingPathComponent("\(file).key").path)
        try certificate.serializeAsPEM().pemString.write(toFile: paths.0, atomically: true, encoding: .utf8)
        try serverKey.pemRepresentation.write(toFile: paths.1, atomically: true, encoding: .utf8)
        return paths
    }
}
