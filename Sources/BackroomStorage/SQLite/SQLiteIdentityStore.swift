import BackroomCore

extension SQLiteStorage: IdentityStore {
    public func allUsers() async throws -> [StoredUser] {
        try await database.read { connection in
            let rights = Dictionary(
                grouping: try connection.query("SELECT user_id, right_name FROM user_rights").map { row in
                    (try readable(row.integer(0), in: "user_rights"), try readable(row.text(1).flatMap(Right.init(rawValue:)), in: "user_rights"))
                },
                by: \.0
            )
            let shops = Dictionary(
                grouping: try connection.query("SELECT user_id, shop_id FROM user_shops").map { row in
                    (try readable(row.integer(0), in: "user_shops"), Int(try readable(row.integer(1), in: "user_shops")))
                },
                by: \.0
            )
            return try connection.query("SELECT id, name, password_hash FROM users WHERE disabled = 0 ORDER BY name").map { row in
                let id = try readable(row.integer(0), in: "users")
                let (name, hash) = (try readable(row.text(1), in: "users"), try readable(row.text(2), in: "users"))
                let principal = Principal(
                    userID: id,
                    name: name,
                    rights: Set((rights[id] ?? []).map(\.1)),
                    shops: Set((shops[id] ?? []).map(\.1))
                )
                return StoredUser(principal: principal, passwordHash: hash)
            }
        }
    }

    // MARK: users and credentials

    public func createUser(_ user: NewUser) async throws -> Int64 {
        try await database.write { connection in
            let rows = try Self.mappingConstraintViolation(to: .alreadyExists("user '\(user.name)'")) {
                try connection.query(
                    "INSERT INTO users (name, password_hash, created_at) VALUES (?, ?, ?) RETURNING id",
                    [.text(user.name), .text(user.passwordHash), .integer(self.clock.nowMillis())]
                )
            }
            guard let id = rows.first?.integer(0) else { throw SQLiteError(code: 0, message: "no id returned for new user") }
            try Self.grant(connection, user, to: id)
            return id
        }
    }

    public func updateUser(_ user: NewUser) async throws {
        try await database.write { connection in
            guard let id = try connection.query("SELECT id FROM users WHERE name = ?", [.text(user.name)]).first?.integer(0) else {
                throw StorageError.unknownUser(user.name)
            }
            try connection.execute("UPDATE users SET password_hash = ? WHERE id = ?", [.text(user.passwordHash), .integer(id)])
            try connection.execute("DELETE FROM user_rights WHERE user_id = ?", [.integer(id)])
            try connection.execute("DELETE FROM user_shops WHERE user_id = ?", [.integer(id)])
            try Self.grant(connection, user, to: id)
        }
    }

    /// Gives the user with `id` the rights and shops of `user`.
    private static func grant(_ connection: SQLiteConnection, _ user: NewUser, to id: Int64) throws {
        for right in user.rights {
            try connection.execute("INSERT INTO user_rights (user_id, right_name) VALUES (?, ?)", [.integer(id), .text(right.rawValue)])
        }
        for shop in user.shops {
            try connection.execute("INSERT INTO user_shops (user_id, shop_id) VALUES (?, ?)", [.integer(id), .integer(Int64(shop))])
        }
    }

    public func user(named name: String) async throws -> StoredUser? {
        guard (try? UserName.validate(name)) != nil else { return nil }
        return try await database.read { connection in
            guard let row = try connection.query("SELECT id, password_hash, disabled FROM users WHERE name = ?", [.text(name)]).first else {
                return nil
            }
            let (id, hash) = (try readable(row.integer(0), in: "users"), try readable(row.text(1), in: "users"))
            return StoredUser(
                principal: try Self.principal(connection, userID: id, name: name),
                passwordHash: hash,
                disabled: try readable(row.integer(2), in: "users") != 0
            )
        }
    }

    public func addAPIToken(fingerprint: String, userID: Int64) async throws -> Int64 {
        let now = clock.nowMillis()
        try await database.write { connection in
            try connection.execute(
                "INSERT INTO api_tokens (fingerprint, user_id, created_at) VALUES (?, ?, ?)",
                [.text(fingerprint), .integer(userID), .integer(now)]
            )
        }
        return now
    }

    public func principal(forAPIToken fingerprint: String) async throws -> Principal? {
        try await database.read { connection in
            let rows = try connection.query(
                "SELECT u.id, u.name FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.fingerprint = ? AND u.disabled = 0",
                [.text(fingerprint)]
            )
            guard let row = rows.first else { return nil }
            let (id, name) = (try readable(row.integer(0), in: "users"), try readable(row.text(1), in: "users"))
            return try Self.principal(connection, userID: id, name: name)
        }
    }

    public func createSession(_ session: NewSession) async throws {
        try await database.write { connection in
            try connection.execute("DELETE FROM sessions WHERE expires_at <= ?", [.integer(self.clock.nowMillis())])
            try connection.execute(
                "INSERT INTO sessions (fingerprint, xsrf_fingerprint, user_id, expires_at) VALUES (?, ?, ?, ?)",
                [.text(session.fingerprint), .text(session.xsrfFingerprint), .integer(session.userID), .integer(session.expiresAt)]
            )
        }
    }

    public func session(fingerprint: String, now: Int64) async throws -> (principal: Principal, xsrfFingerprint: String)? {
        try await database.read { connection in
            let rows = try connection.query(
                """
                SELECT u.id, u.name, s.xsrf_fingerprint FROM sessions s JOIN users u ON u.id = s.user_id
                WHERE s.fingerprint = ? AND s.expires_at > ? AND u.disabled = 0
                """,
                [.text(fingerprint), .integer(now)]
            )
            guard let row = rows.first else { return nil }
            let (id, name) = (try readable(row.integer(0), in: "users"), try readable(row.text(1), in: "users"))
            let xsrf = try readable(row.text(2), in: "sessions")
            return (try Self.principal(connection, userID: id, name: name), xsrf)
        }
    }

    public func users(after: String?, limit: Int) async throws -> [ListedUser] {
        try await listedUsers("WHERE name > ? ORDER BY name LIMIT ?", [.text(after ?? ""), .integer(Int64(limit))])
    }

    public func listedUser(named name: String) async throws -> ListedUser? {
        try await listedUsers("WHERE name = ?", [.text(name)]).first
    }

    private func listedUsers(_ condition: String, _ parameters: [SQLiteValue]) async throws -> [ListedUser] {
        try await database.read { connection in
            try connection.query("SELECT id, name, disabled, created_at FROM users \(condition)", parameters).map { row in
                let (id, name) = (try readable(row.integer(0), in: "users"), try readable(row.text(1), in: "users"))
                return ListedUser(
                    principal: try Self.principal(connection, userID: id, name: name),
                    disabled: try readable(row.integer(2), in: "users") != 0,
                    createdAt: try readable(row.integer(3), in: "users")
                )
            }
        }
    }

    public func setUserDisabled(named name: String, disabled: Bool) async throws -> Bool {
        try await database.write { connection in
            try !connection.query("UPDATE users SET disabled = ? WHERE name = ? RETURNING id", [.integer(disabled ? 1 : 0), .text(name)]).isEmpty
        }
    }

    public func deleteUser(named name: String) async throws -> Bool {
        try await database.write { connection in
            guard let id = try connection.query("SELECT id FROM users WHERE name = ?", [.text(name)]).first?.integer(0) else { return false }
            for table in ["user_rights", "user_shops", "api_tokens", "sessions"] {
                try connection.execute("DELETE FROM \(table) WHERE user_id = ?", [.integer(id)])
            }
            try connection.execute("DELETE FROM users WHERE id = ?", [.integer(id)])
            return true
        }
    }

    public func apiTokens(after: String?, limit: Int) async throws -> [ListedToken] {
        try await database.read { connection in
            try connection.query(
                """
                SELECT t.fingerprint, u.name, t.created_at, t.last_used_at FROM api_tokens t JOIN users u ON u.id = t.user_id
                WHERE substr(t.fingerprint, 1, \(ListedToken.idLength)) > ? ORDER BY t.fingerprint LIMIT ?
                """,
                [.text(after ?? ""), .integer(Int64(limit))]
            ).map { row in
                ListedToken(
                    fingerprint: try readable(row.text(0), in: "api_tokens"),
                    user: try readable(row.text(1), in: "users"),
                    createdAt: try readable(row.integer(2), in: "api_tokens"),
                    lastUsedAt: row.integer(3)
                )
            }
        }
    }

    public func revokeAPIToken(id: String) async throws -> Bool {
        try await database.write { connection in
            try connection.execute("DELETE FROM api_tokens WHERE substr(fingerprint, 1, \(ListedToken.idLength)) = ?", [.text(id)]) > 0
        }
    }

    public func noteAPITokenUse(fingerprint: String, at: Int64) async throws {
        try await database.write { connection in
            try connection.execute("UPDATE api_tokens SET last_used_at = ? WHERE fingerprint = ?", [.integer(at), .text(fingerprint)])
        }
    }

    public func deleteSession(fingerprint: String) async throws {
        try await database.write { connection in
            try connection.execute("DELETE FROM sessions WHERE fingerprint = ?", [.text(fingerprint)])
        }
    }

    public func deleteSessions(ofUser name: String, keeping: String?) async throws {
        try await database.write { connection in
            try connection.execute(
                "DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE name = ?) AND fingerprint IS NOT ?",
                [.text(name), keeping.map(SQLiteValue.text) ?? .null]
            )
        }
    }
}
