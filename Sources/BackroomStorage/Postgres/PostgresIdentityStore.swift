import BackroomCore
import Logging
import NIOSSL
import PostgresNIO

extension PostgresStorage: IdentityStore {
    public func allUsers() async throws -> [StoredUser] {
        let rows = try await client.query(
            """
            SELECT u.id, u.name, u.password_hash,
                ARRAY(SELECT right_name FROM user_rights WHERE user_id = u.id), ARRAY(SELECT shop_id FROM user_shops WHERE user_id = u.id)
            FROM users u WHERE u.disabled = 0 ORDER BY u.name
            """,
            logger: logger
        ).decode((Int64, String, String, [String], [Int64]).self).collect()
        return try rows.map { id, name, hash, rights, shops in
            let readRights = try rights.map { try readable(Right(rawValue: $0), in: "user_rights") }
            let principal = Principal(userID: id, name: name, rights: Set(readRights), shops: Set(shops.map(Int.init)))
            return StoredUser(principal: principal, passwordHash: hash)
        }
    }

    // MARK: users and credentials

    public func createUser(_ user: NewUser) async throws -> Int64 {
        try await transaction { connection in
            let rows = try await Self.mapping(.uniqueViolation, to: .alreadyExists("user '\(user.name)'")) {
                try await connection.checkedQuery(
                    "INSERT INTO users (name, password_hash, created_at) VALUES (\(user.name), \(user.passwordHash), \(clock.nowMillis())) RETURNING id",
                    logger: logger
                ).decode(Int64.self).collect()
            }
            guard let id = rows.first else { throw StorageError.unreachable("no id returned for new user") }
            try await Self.grant(connection, user, to: id, logger: logger)
            return id
        }
    }

    public func updateUser(_ user: NewUser) async throws {
        try await transaction { connection in
            let rows = try await connection.checkedQuery(
                "UPDATE users SET password_hash = \(user.passwordHash) WHERE name = \(user.name) RETURNING id",
                logger: logger
            ).decode(Int64.self).collect()
            guard let id = rows.first else { throw StorageError.unknownUser(user.name) }
            try await connection.checkedQuery("DELETE FROM user_rights WHERE user_id = \(id)", logger: logger)
            try await connection.checkedQuery("DELETE FROM user_shops WHERE user_id = \(id)", logger: logger)
            try await Self.grant(connection, user, to: id, logger: logger)
        }
    }

    /// Gives the user with `id` the rights and shops of `user`.
    private static func grant(_ connection: PostgresConnection, _ user: NewUser, to id: Int64, logger: Logger) async throws {
        let rights = user.rights.map(\.rawValue)
        let shops = user.shops.map(Int64.init)
        try await connection.checkedQuery("INSERT INTO user_rights (user_id, right_name) SELECT \(id), unnest(\(rights)::text[])", logger: logger)
        try await connection.checkedQuery("INSERT INTO user_shops (user_id, shop_id) SELECT \(id), unnest(\(shops)::bigint[])", logger: logger)
    }

    public func user(named name: String) async throws -> StoredUser? {
        // A name no user may bear names none; PostgreSQL refuses a text with NUL outright.
        guard (try? UserName.validate(name)) != nil else { return nil }
        return try await client.withConnection { connection in
            let rows = try await connection.checkedQuery("SELECT id, password_hash, disabled FROM users WHERE name = \(name)", logger: logger)
            for try await (id, hash, disabled) in rows.decode((Int64, String, Int64).self) {
                return StoredUser(
                    principal: try await Self.principal(connection, userID: id, name: name, logger: logger),
                    passwordHash: hash,
                    disabled: disabled != 0
                )
            }
            return nil
        }
    }

    public func addAPIToken(fingerprint: String, userID: Int64) async throws -> Int64 {
        let now = clock.nowMillis()
        try await client.query("INSERT INTO api_tokens (fingerprint, user_id, created_at) VALUES (\(fingerprint), \(userID), \(now))", logger: logger)
        return now
    }

    public func principal(forAPIToken fingerprint: String) async throws -> Principal? {
        try await client.withConnection { connection in
            let rows = try await connection.checkedQuery(
                "SELECT u.id, u.name FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.fingerprint = \(fingerprint) AND u.disabled = 0",
                logger: logger
            )
            for try await (id, name) in rows.decode((Int64, String).self) {
                return try await Self.principal(connection, userID: id, name: name, logger: logger)
            }
            return nil
        }
    }

    public func createSession(_ session: NewSession) async throws {
        try await transaction { connection in
            try await connection.checkedQuery("DELETE FROM sessions WHERE expires_at <= \(clock.nowMillis())", logger: logger)
            try await connection.checkedQuery(
                """
                INSERT INTO sessions (fingerprint, xsrf_fingerprint, user_id, expires_at)
                VALUES (\(session.fingerprint), \(session.xsrfFingerprint), \(session.userID), \(session.expiresAt))
                """,
                logger: logger
            )
        }
    }

    public func session(fingerprint: String, now: Int64) async throws -> (principal: Principal, xsrfFingerprint: String)? {
        try await client.withConnection { connection in
            let rows = try await connection.checkedQuery(
                """
                SELECT u.id, u.name, s.xsrf_fingerprint FROM sessions s JOIN users u ON u.id = s.user_id
                WHERE s.fingerprint = \(fingerprint) AND s.expires_at > \(now) AND u.disabled = 0
                """,
                logger: logger
            )
            for try await (id, name, xsrf) in rows.decode((Int64, String, String).self) {
                return (try await Self.principal(connection, userID: id, name: name, logger: logger), xsrf)
            }
            return nil
        }
    }

    public func users(after: String?, limit: Int) async throws -> [ListedUser] {
        try await listedUsers(
            client.query(
                """
                \(unescaped: Self.listedUserSelect) WHERE u.name COLLATE "C" > \(after ?? "") ORDER BY u.name COLLATE "C" LIMIT \(Int64(limit))
                """,
                logger: logger
            )
        )
    }

    public func listedUser(named name: String) async throws -> ListedUser? {
        try await listedUsers(
            client.query(
                """
                \(unescaped: Self.listedUserSelect) WHERE u.name = \(name)
                """,
                logger: logger
            )
        ).first
    }

    private static let listedUserSelect = """
        SELECT u.id, u.name, u.disabled, u.created_at,
            ARRAY(SELECT right_name FROM user_rights WHERE user_id = u.id), ARRAY(SELECT shop_id FROM user_shops WHERE user_id = u.id)
        FROM users u
        """

    private func listedUsers(_ query: some AsyncSequence<PostgresRow, any Error>) async throws -> [ListedUser] {
        let rows = try await query.decode((Int64, String, Int64, Int64, [String], [Int64]).self).collect()
        return try rows.map { id, name, disabled, createdAt, rights, shops in
            let readRights = try rights.map { try readable(Right(rawValue: $0), in: "user_rights") }
            return ListedUser(
                principal: Principal(userID: id, name: name, rights: Set(readRights), shops: Set(shops.map(Int.init))),
                disabled: disabled != 0,
                createdAt: createdAt
            )
        }
    }

    public func setUserDisabled(named name: String, disabled: Bool) async throws -> Bool {
        try await !client.query("UPDATE users SET disabled = \(disabled ? 1 : 0) WHERE name = \(name) RETURNING id", logger: logger)
            .decode(Int64.self).collect().isEmpty
    }

    public func deleteUser(named name: String) async throws -> Bool {
        // Rights, shops, tokens and sessions go with it (ON DELETE CASCADE).
        try await !client.query("DELETE FROM users WHERE name = \(name) RETURNING id", logger: logger).decode(Int64.self).collect().isEmpty
    }

    public func apiTokens(after: String?, limit: Int) async throws -> [ListedToken] {
        try await client.query(
            """
            SELECT t.fingerprint, u.name, t.created_at, t.last_used_at FROM api_tokens t JOIN users u ON u.id = t.user_id
            WHERE substr(t.fingerprint, 1, \(unescaped: String(ListedToken.idLength))) COLLATE "C" > \(after ?? "") ORDER BY t.fingerprint COLLATE "C" LIMIT \(Int64(limit))
            """,
            logger: logger
        ).decode((String, String, Int64, Int64?).self).collect().map { ListedToken(fingerprint: $0.0, user: $0.1, createdAt: $0.2, lastUsedAt: $0.3) }
    }

    public func revokeAPIToken(id: String) async throws -> Bool {
        try await !client.query(
            "DELETE FROM api_tokens WHERE substr(fingerprint, 1, \(unescaped: String(ListedToken.idLength))) = \(id) RETURNING fingerprint",
            logger: logger
        ).decode(String.self).collect().isEmpty
    }

    public func noteAPITokenUse(fingerprint: String, at: Int64) async throws {
        try await client.query("UPDATE api_tokens SET last_used_at = \(at) WHERE fingerprint = \(fingerprint)", logger: logger)
    }

    public func deleteSession(fingerprint: String) async throws {
        try await client.query("DELETE FROM sessions WHERE fingerprint = \(fingerprint)", logger: logger)
    }

    public func deleteSessions(ofUser name: String, keeping: String?) async throws {
        try await client.query(
            "DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE name = \(name)) AND fingerprint IS DISTINCT FROM \(keeping)",
            logger: logger
        )
    }
}
