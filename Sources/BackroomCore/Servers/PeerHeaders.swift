/// The headers every server-to-server request carries: the caller's key and current status, so
/// the receiver's registry stays fresh without probing.
public enum PeerHeaders {
    public static let key = "X-Backroom-Server-Key"
    public static let status = "X-Backroom-Server-Status"
    /// On a store's sync requests: how many of its own movements central does not hold yet.
    public static let waiting = "X-Backroom-Waiting"
}
