import HummingbirdBcrypt
import NIOPosix

/// Hashes and checks passwords with bcrypt, off the cooperative thread pool.
public enum PasswordHasher {
    /// 2^10 rounds: about 50 ms a check on the reference machine, which is what makes a stolen
    /// hash expensive to attack while a verified-credential cache keeps repeated logins cheap.
    public static let cost: UInt8 = 10

    public static func hash(_ password: String) async throws -> String {
        try await NIOThreadPool.singleton.runIfActive {
            Bcrypt.hash(password, cost: cost)
        }
    }

    /// Checks `password` against `storedHash`; with no stored hash (an unknown user) it checks
    /// against a decoy so that the answer takes as long as for a known user.
    public static func verify(_ password: String, against storedHash: String?) async throws -> Bool {
        let target = storedHash ?? decoyHash
        let matches = try await NIOThreadPool.singleton.runIfActive {
            Bcrypt.verify(password, hash: target)
        }
        return matches && storedHash != nil
    }

    private static let decoyHash = Bcrypt.hash(SecretToken.generate(), cost: cost)
}
