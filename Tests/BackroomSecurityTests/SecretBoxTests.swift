import BackroomSecurity
import Foundation
import Testing

struct SecretBoxTests {
    @Test func aSealedSecretOpensOnlyWithItsKey() throws {
        let box = SecretBox.ephemeral()
        let sealed = try box.seal("erp-token")
        #expect(SecretBox.isSealed(sealed) && !sealed.contains("erp-token"))
        #expect(try box.seal("erp-token") != sealed, "a fresh nonce each time")
        #expect(try box.open(sealed) == "erp-token")
        #expect(throws: SecretBox.Unreadable.self) { try SecretBox.ephemeral().open(sealed) }
        #expect(throws: SecretBox.Unreadable.self) { try box.open("erp-token") }
    }

    @Test func theKeyFileIsMadeOnceReadableByItsOwnerAndSharedBySecondOpeners() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("backroom-key-\(UUID().uuidString)/secret.key").path
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let first = try SecretBox.loadingOrCreatingKey(at: path)
        let second = try SecretBox.loadingOrCreatingKey(at: path)
        #expect(try second.open(try first.seal("s")) == "s")
        let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        try Data("short".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: SecretBox.Unreadable.self) { try SecretBox.loadingOrCreatingKey(at: path) }
    }
}
