/// What a running `backroom` process is: head office or a shop's server.
public enum ServerRole: String, CaseIterable, Sendable {
    case central
    case store
}

/// How a server is registered: the head office's server is `main`, shops' servers are `store`.
public enum ServerType: String, CaseIterable, Sendable {
    case main
    case store
}
