import BackroomSecurity
import Testing

struct PasswordHasherTests {
    @Test func aHashChecksTheRightPasswordOnly() async throws {
        let hash = try await PasswordHasher.hash("Tje0")
        #expect(hash.hasPrefix("$2b$10$"))
        #expect(!hash.contains("Tje0"))
        #expect(try await PasswordHasher.verify("Tje0", against: hash))
        #expect(try await !PasswordHasher.verify("tje0", against: hash))
    }

    @Test func anUnknownUserNeverMatches() async throws {
        #expect(try await !PasswordHasher.verify("", against: nil))
        #expect(try await !PasswordHasher.verify("anything", against: nil))
    }
}

struct SecretTokenTests {
    @Test func tokensAreLongRandomAndURLSafe() {
        let tokens = (0..<100).map { _ in SecretToken.generate() }
        #expect(Set(tokens).count == 100)
        for token in tokens {
            #expect(token.hasPrefix("br_") && token.count == 46, "never an option's leading dash on a command line")
            #expect(token.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        }
    }

    @Test func fingerprintIsSHA256Hex() {
        #expect(SecretToken.fingerprint("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}

struct ProcessKeyedDigestTests {
    @Test func sameInputSameDigestWithinOneKeyOnly() {
        let digest = ProcessKeyedDigest()
        #expect(digest.digest("tje0", "Tje0") == digest.digest("tje0", "Tje0"))
        #expect(digest.digest("tje0", "Tje0") != ProcessKeyedDigest().digest("tje0", "Tje0"))
    }

    @Test func partsAreKeptApart() {
        let digest = ProcessKeyedDigest()
        #expect(digest.digest("ab", "c") != digest.digest("a", "bc"))
    }
}
