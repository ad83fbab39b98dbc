import Foundation

/// Bearer tokens, session ids and store sync tokens: random, shown once, stored only as a
/// fingerprint.
public enum SecretToken {
    /// Every token starts with this: base64url may begin with `-`, and a command line then reads
    /// `--central-token -x…` as an option; the prefix also lets secret scanners recognise a
    /// Backroom token pasted where it should not be.
    public static let prefix = "br_"

    /// The prefix, then 32 random bytes from the system's cryptographic generator, base64url
    /// without padding.
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return prefix
            + Data(bytes).base64EncodedString()
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
