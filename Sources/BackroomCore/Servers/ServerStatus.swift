/// How a server is doing, in the words of the status service.
public enum ServerStatus: String, CaseIterable, Sendable {
    /// Online: its link to central works and nothing waits to be synced.
    case online = "ON"
    /// Offline: unreachable, or its link to central is down.
    case offline = "OFF"
    /// Transition to online: the link works again and what piled up is being synced.
    case transitionToOnline = "TON"
    /// Transition to offline: the link failed and has not worked again yet.
    case transitionToOffline = "TOFF"

    /// Whether its link works: `ON`, or `TON` while what piled up is still being synced.
    public var linkWorks: Bool { self == .online || self == .transitionToOnline }
}
