/// The headers every server-to-server request carries: the caller's key and current status, so
/// the receiver's registry stays fresh without probing.
public enum PeerHeaders {
    public static let key = "X-Backroom-Server-Key"
    public static let status = "X-Backroom-Server-Status"
    /// The caller's release and sync protocol (`PeerSoftware`); central's answers carry them too.
    public static let version = "X-Backroom-Version"
    public static let syncProtocol = "X-Backroom-Sync-Protocol"
    /// On a store's sync requests: how many of its own movements central does not hold yet.
    public static let waiting = "X-Backroom-Waiting"
    /// On a request a store forwards for a client of its own (a reservation): the client's
    /// address, which central takes only together with the store's sync token in `storeToken`
    /// (the request's `Authorization` is the client's).
    public static let clientAddress = "X-Backroom-Client-Address"
    public static let storeToken = "X-Backroom-Store-Token"
}
