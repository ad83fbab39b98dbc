import Crypto
import Foundation

/// Seals the secrets Backroom must send on (an HTTP connector's token) with AES-GCM under a
/// key kept outside the database, so that neither a copy of the database nor a log holds them
/// in clear. Sealed values read `sealed:v1:` and base64.
public struct SecretBox: Sendable {
    public struct Unreadable: Error, CustomStringConvertible {
        public let description: String
    }

    static let prefix = "sealed:v1:"
    private let key: SymmetricKey

    init(key: SymmetricKey) {
        self.key = key
    }

    /// A key for this process alone: what it seals, no other process can open.
    public static func ephemeral() -> SecretBox {
        SecretBox(key: SymmetricKey(size: .bits256))
    }

    /// The key in `path`, made (readable by its owner only) when there is none yet. Processes
    /// that share a database share the file, or a copy of it.
    public static func loadingOrCreatingKey(at path: String) throws -> SecretBox {
        let url = URL(fileURLWithPath: path)
        if !FileManager.default.fileExists(atPath: path) {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
            // Created with its final permissions and never overwritten: two processes starting
            // at once both end up reading the one that won.
            _ = FileManager.default.createFile(atPath: path, contents: Data(bytes.base64EncodedString().utf8), attributes: [.posixPermissions: 0o600])
        }
        let text = try String(contentsOf: url, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let bytes = Data(base64Encoded: text), bytes.count == 32 else {
            throw Unreadable(description: "the secret key file \(path) does not hold a base64 256-bit key")
        }
        return SecretBox(key: SymmetricKey(data: bytes))
    }

    public static func isSealed(_ value: String) -> Bool { value.hasPrefix(prefix) }

    public func seal(_ secret: String) throws -> String {
        guard let combined = try AES.GCM.seal(Data(secret.utf8), using: key).combined else {
            throw Unreadable(description: "AES-GCM gave no combined box")
        }
        return Self.prefix + combined.base64EncodedString()
    }

    public func open(_ sealed: String) throws -> String {
        guard Self.isSealed(sealed), let combined = Data(base64Encoded: String(sealed.dropFirst(Self.prefix.count))),
            let box = try? AES.GCM.SealedBox(combined: combined), let bytes = try? AES.GCM.open(box, using: key)
        else {
            throw Unreadable(description: "a stored secret cannot be opened with this server's secret key (was the key file replaced?)")
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
