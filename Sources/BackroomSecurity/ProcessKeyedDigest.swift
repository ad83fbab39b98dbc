import Crypto
import Foundation

/// HMAC-SHA256 under a key that lives only in this process's memory: lets a cache recognise a
/// credential it has already verified without ever holding the credential itself.
public struct ProcessKeyedDigest: Sendable {
    private let key = SymmetricKey(size: .bits256)

    public init() {}

    public func digest(_ parts: String...) -> String {
        let joined = parts.joined(separator: "\u{0}")
        return Data(HMAC<SHA256>.authenticationCode(for: Data(joined.utf8), using: key)).base64EncodedString()
    }
}
