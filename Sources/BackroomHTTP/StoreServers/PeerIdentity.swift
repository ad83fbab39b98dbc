import AsyncHTTPClient
import BackroomCore
import HTTPTypes
import NIOHTTP1

/// Who this server is to the others: every server-to-server request carries its key and current
/// status, so the receiver's registry stays fresh without probing.
struct PeerIdentity: Sendable {
    static let keyHeader = HTTPField.Name("X-Backroom-Server-Key")!
    static let statusHeader = HTTPField.Name("X-Backroom-Server-Status")!

    let key: ServerKey
    let role: ServerRole

    /// Central is the hub: while it answers at all it is online. A store's status comes from its
    /// link to central, which it does not have yet, so it reports itself offline.
    var status: ServerStatus {
        switch role {
        case .central: .online
        case .store: .offline
        }
    }

    func stamp(_ headers: inout HTTPHeaders) {
        headers.replaceOrAdd(name: Self.keyHeader.rawName, value: key.value)
        headers.replaceOrAdd(name: Self.statusHeader.rawName, value: status.rawValue)
    }
}
