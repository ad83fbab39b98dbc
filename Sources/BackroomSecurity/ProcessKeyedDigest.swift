import Crypto
import Foundation

/// HMAC-SHA256 under a key that lives only in this process's memory: lets a cache recognise a
/// credential it has already verified without ever holding the credential itself.
public struct ProcessKeyedDigest: Sendable {
    /// The HMAC state after the key, copied for every digest: setting up the key each time cost
    /// as much as the digest itself.
    private let keyed = HMAC<SHA256>(key: SymmetricKey(size: .bits256))

    public init() {}

    public func digest(_ parts: String...) -> String {
        var code = keyed
        for (index, part) in parts.enumerated() {
            if index > 0 { code.update(data: [UInt8(0)]) }
            var part = part
            part.withUTF8 { code.update(data: UnsafeRawBufferPointer($0)) }
        }
        return Data(code.finalize()).base64EncodedString()
    }
}
