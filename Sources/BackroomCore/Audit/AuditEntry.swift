/// One change made through the admin API, the command line or the ErpSync agent: who, when,
/// what, from where. Secrets never appear in it (`AuditDetail` leaves them out).
public struct AuditEntry: Sendable, Equatable {
    /// How the change came in.
    public enum Channel: String, Sendable, CaseIterable {
        case api, agent
        case commandLine = "cli"
        /// What the server does by itself (the retention run).
        case server
    }

    /// Entries older than this are dropped.
    public static let retentionMillis: Int64 = 90 * 24 * 3600 * 1000

    public let id: Int64
    public let at: Int64
    /// The signed-in user, or `cli:` and the operating system's user for the command line.
    public let actor: String
    public let channel: Channel
    /// The client's address; `local` for the command line.
    public let origin: String
    /// What was done, as `area.verb` (`connection.save`, `user.create`).
    public let action: String
    /// What it was done to (`connection 3`, `user alice`).
    public let target: String
    /// The change's parameters as JSON, secrets left out.
    public let detail: String

    public init(id: Int64, at: Int64, actor: String, channel: Channel, origin: String, action: String, target: String, detail: String) {
        self.id = id
        self.at = at
        self.actor = actor
        self.channel = channel
        self.origin = origin
        self.action = action
        self.target = target
        self.detail = detail
    }

    /// The entry to be written, numbered by the database.
    public static func new(
        at: Int64,
        actor: String,
        channel: Channel,
        origin: String,
        action: String,
        target: String,
        detail: JSONValue
    ) -> AuditEntry {
        AuditEntry(
            id: 0,
            at: at,
            actor: actor,
            channel: channel,
            origin: origin,
            action: action,
            target: target,
            detail: AuditDetail.text(of: detail)
        )
    }
}

/// What an audit entry keeps of a change's parameters: everything but secrets, whose values
/// become `***` wherever they stand.
public enum AuditDetail {
    /// Names of parameters whose values are secrets, compared without regard to case.
    static let secretNames: Set<String> = Set(ConnectorKind.allCases.flatMap(\.fields).filter(\.isSecret).map { $0.key.lowercased() })
        .union(["password", "oldpassword", "newpassword", "token", "authorization"])

    public static func redacted(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            .object(
                members.reduce(into: [:]) { redacted, member in
                    redacted[member.key] = secretNames.contains(member.key.lowercased()) ? .string("***") : Self.redacted(member.value)
                }
            )
        case .array(let items): .array(items.map(redacted))
        default: value
        }
    }

    public static func text(of value: JSONValue) -> String {
        JSONWriter.string(of: redacted(value))
    }
}
