/// A store's own status, driven by how its link to central fares (store-servers.md):
///
///     OFF ──link works──▶ TON ──nothing waits──▶ ON
///      ▲                                          │ a sync or ping fails
///      └── still failing after the wait ── TOFF ◀─┘ ──link works again──▶ TON
///
/// Sales never depend on it: it only says how current the store's picture of central is.
public struct StoreLinkState: Sendable, Equatable {
    public private(set) var status: ServerStatus = .offline
    /// When the link started failing, while `TOFF`.
    public private(set) var failingSince: Int64?

    public init() {}

    /// An exchange with central succeeded; `nothingWaiting` when neither side has changes left
    /// for the other. Coming back always passes through `TON`, for at least one exchange.
    public mutating func linkWorked(nothingWaiting: Bool) {
        failingSince = nil
        switch status {
        case .offline, .transitionToOffline: status = .transitionToOnline
        case .transitionToOnline: if nothingWaiting { status = .online }
        case .online: break
        }
    }

    /// An exchange with central failed at `now`.
    public mutating func linkFailed(at now: Int64) {
        switch status {
        case .online, .transitionToOnline:
            status = .transitionToOffline
            failingSince = now
        case .transitionToOffline, .offline: break
        }
    }

    /// Moves `TOFF` to `OFF` once the link has failed for `waitMillis`
    /// (`OBMOBC_TransitionToOfflineWait`).
    public mutating func timePassed(to now: Int64, waitMillis: Int) {
        guard status == .transitionToOffline, let failingSince, now - failingSince >= Int64(waitMillis) else { return }
        status = .offline
        self.failingSince = nil
    }
}
