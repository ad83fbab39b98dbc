import BackroomCore
import BackroomSync
import HTTPTypes

extension PeerIdentity {
    static let keyHeader = HTTPField.Name(PeerHeaders.key)!
    static let statusHeader = HTTPField.Name(PeerHeaders.status)!

    /// The caller a request names in its headers, when it names a valid key and status.
    static func caller(in headers: HTTPFields) -> (key: ServerKey, status: ServerStatus)? {
        guard let keyText = headers[keyHeader], let key = try? ServerKey(keyText),
            let statusText = headers[statusHeader], let status = ServerStatus(rawValue: statusText)
        else { return nil }
        return (key, status)
    }
}
