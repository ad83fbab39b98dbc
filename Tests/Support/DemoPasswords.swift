import BackroomSecurity

/// Bcrypt of each demo password, computed once per test run: hundreds of live servers each
/// hashing the demo users anew would queue behind one another on the machine's two cores long
/// enough for requests of unrelated tests to time out.
public actor DemoPasswords {
    public static let shared = DemoPasswords()

    private var hashes: [String: Task<String, any Error>] = [:]

    public func hash(_ password: String) async throws -> String {
        if let known = hashes[password] { return try await known.value }
        let hashing = Task { try await PasswordHasher.hash(password) }
        hashes[password] = hashing
        return try await hashing.value
    }
}
