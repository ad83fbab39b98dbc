import BackroomCore
import HTTPTypes
import NIOHTTP1

/// Who this server is to the others: its key and its current status (`PeerHeaders`).
struct PeerIdentity: Sendable {
    static let keyHeader = HTTPField.Name(PeerHeaders.key)!
    static let statusHeader = HTTPField.Name(PeerHeaders.status)!

    let key: ServerKey
    let currentStatus: @Sendable () -> ServerStatus

    var status: ServerStatus { currentStatus() }

    /// The caller a request names in its headers, when it names a valid key and status.
    static func caller(in headers: HTTPFields) -> (key: ServerKey, status: ServerStatus)? {
        guard let keyText = headers[keyHeader], let key = try? ServerKey(keyText),
              let statusText = headers[statusHeader], let status = ServerStatus(rawValue: statusText)
        else { return nil }
        return (key, status)
    }

    func stamp(_ headers: inout HTTPHeaders) {
        headers.replaceOrAdd(name: PeerHeaders.key, value: key.value)
        headers.replaceOrAdd(name: PeerHeaders.status, value: status.rawValue)
    }
}
