import Foundation

/// Bearer tokens, session ids and store sync tokens: random, shown once, stored only as a
/// fingerprint.
public enum SecretToken {
    /// 32 random bytes from the system's cryptographic generator, base64url without padding.
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// SHA-256, hex. Tokens carry 256 bits of entropy, so a fast hash is enough to make the
    /// stored value useless to whoever reads the database (unlike passwords, which need bcrypt).
    public static func fingerprint(_ token: String) -> String {
        Digest.sha256Hex(Data(token.utf8))
    }
}
