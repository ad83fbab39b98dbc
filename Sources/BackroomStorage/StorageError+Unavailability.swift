import PostgresNIO

extension StorageError {
    /// Whether `error` says the database cannot be used for now — a connection lost or refused,
    /// a server shutting down or still starting, a standby reached where writes were meant —
    /// rather than anything about the request. Such a failure is over in the seconds a failover
    /// takes, so callers are told to try again (503) where any other failure is a 500.
    public static func isUnavailability(_ error: any Error) -> Bool {
        if case .unreachable = error as? StorageError { return true }
        // The pool a request was on was shut down (the storage moved to a promoted standby), or
        // has stopped trying to connect for a while; its error type is not public API.
        if String(describing: type(of: error)) == "ConnectionPoolError" { return true }
        guard let error = error as? PSQLError else { return false }
        switch error.code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed:
            return true
        case .server:
            guard let state = error.serverInfo?[.sqlState] else { return false }
            // 08: connection exceptions; 57P01–57P03: shut down, crashed, not accepting yet;
            // 25006: a read-only transaction, which is what a standby runs.
            return state.hasPrefix("08") || ["57P01", "57P02", "57P03", "25006"].contains(state)
        default:
            return false
        }
    }
}
