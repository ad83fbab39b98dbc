import Crypto
import Foundation

/// SHA-256 written as lowercase hex: token fingerprints, and the names by which ERP files are
/// known to have been imported.
public enum Digest {
    public static func sha256Hex(_ bytes: some DataProtocol) -> String {
        SHA256.hash(data: bytes).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
