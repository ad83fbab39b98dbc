/// The caller's identity as the original suite's servers send it: in the JSON body of every
/// status probe and ping (`mobileServerKey` and the caller's own `serverStatus`), where
/// Backroom's servers also send `PeerHeaders`. Both forms are sent, and read, everywhere.
public enum PeerBody {
    public static let key = "mobileServerKey"
    public static let status = "serverStatus"

    /// The members that name the caller in a request body.
    public static func fields(key: ServerKey, status: ServerStatus) -> [String: JSONValue] {
        [Self.key: .string(key.value), Self.status: .string(status.rawValue)]
    }

    /// The caller a request body names; nil unless it has a valid key and a known status.
    public static func caller(in body: JSONValue) -> (key: ServerKey, status: ServerStatus)? {
        guard case .string(let keyText) = body[key], let key = try? ServerKey(keyText),
            case .string(let statusText) = body[status], let status = ServerStatus(rawValue: statusText)
        else { return nil }
        return (key, status)
    }
}
