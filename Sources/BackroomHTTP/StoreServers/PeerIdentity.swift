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

    func stamp(_ headers: inout HTTPHeaders) {
        headers.replaceOrAdd(name: PeerHeaders.key, value: key.value)
        headers.replaceOrAdd(name: PeerHeaders.status, value: status.rawValue)
    }
}
