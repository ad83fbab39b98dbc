/// What a failed status probe or ping means for the called server's status in the registry.
public enum FailedCall {
    public enum Verdict: Sendable, Equatable {
        /// `OFF`, with the reason written to its offline log.
        case offline
        /// Slow, not gone: it keeps the status it had, and the registry is left as it was.
        case unchanged(ServerStatus)
    }

    /// A refused or failed connection marks the server `OFF`. A read time-out does so only when
    /// `OBMOBC_ReadTimeoutForcesOffline` is `Y`, as in the original; otherwise the server keeps
    /// what the registry last held (`OFF` if it holds nothing).
    public static func verdict(readTimeout: Bool, readTimeoutForcesOffline: Bool, stored: ServerStatus?) -> Verdict {
        guard readTimeout, !readTimeoutForcesOffline, let stored, stored != .offline else { return .offline }
        return .unchanged(stored)
    }
}
