/// How the status service answers for a server key: the spec's four steps, decided from the
/// registry alone, so the network call is made only where the registry cannot answer.
public enum StatusLookup {
    /// What the registry holds for the asked key.
    public struct Entry: Sendable, Equatable {
        public let status: ServerStatus
        /// When `status` was written, milliseconds since 1970; nil if it never was.
        public let updatedAt: Int64?
        public let url: String?
        public let offlineLog: String?

        public init(status: ServerStatus, updatedAt: Int64?, url: String?, offlineLog: String?) {
            self.status = status
            self.updatedAt = updatedAt
            self.url = url
            self.offlineLog = offlineLog
        }
    }

    public enum Decision: Sendable, Equatable {
        /// The asked key is the answering server's own: its current status.
        case own
        case unknown
        /// Fresh enough: answered as stored, with the stored reason when it is `OFF`.
        case stored(ServerStatus, error: String?)
        /// Too old (or never written): ask the server at its URL.
        case probe(url: String?)
    }

    public static func decide(
        asked: ServerKey,
        own: ServerKey,
        entry: Entry?,
        maximumAgeMillis: Int,
        now: Int64
    ) -> Decision {
        if asked == own { return .own }
        guard let entry else { return .unknown }
        if let updatedAt = entry.updatedAt, now - updatedAt <= Int64(maximumAgeMillis) {
            return .stored(entry.status, error: entry.status == .offline ? entry.offlineLog : nil)
        }
        return .probe(url: entry.url)
    }

    /// How old a status a server keeps telling may grow, at the least, before it is written again.
    public static let refreshMillis: Int64 = 10_000

    /// Whether what a server says of itself on each of its requests is worth a write: a status
    /// unlike the one stored, or the same one past half the age the status service answers
    /// from the registry (`maximumAgeMillis`, `OBMOBC_ServerStatusMaxAge`), so that a server
    /// calling at least that often is never probed; never more often than `refreshMillis`. A
    /// busy store calls several times a second, an idle one every 50 s, and each write
    /// is a commit.
    public static func isWorthRecording(_ status: ServerStatus, over entry: Entry, maximumAgeMillis: Int, now: Int64) -> Bool {
        guard status == entry.status, let updatedAt = entry.updatedAt else { return true }
        return now - updatedAt >= max(refreshMillis, Int64(maximumAgeMillis) / 2)
    }

    public static func unknownKeyError(_ key: String) -> String { "unknown server key \(key)" }
}
