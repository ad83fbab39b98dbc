import BackroomCore
import NIOHTTP1

/// Who this server is to the others: its key, its current status and its software, stamped on every
/// server-to-server request (`PeerHeaders`).
public struct PeerIdentity: Sendable {
    public let key: ServerKey
    private let currentStatus: @Sendable () -> ServerStatus

    public init(key: ServerKey, currentStatus: @escaping @Sendable () -> ServerStatus) {
        self.key = key
        self.currentStatus = currentStatus
    }

    public var status: ServerStatus { currentStatus() }

    public func stamp(_ headers: inout HTTPHeaders) {
        headers.replaceOrAdd(name: PeerHeaders.key, value: key.value)
        headers.replaceOrAdd(name: PeerHeaders.status, value: status.rawValue)
        Self.stampSoftware(&headers)
    }

    /// This build's release and sync protocol, as every server-to-server call carries them.
    public static func stampSoftware(_ headers: inout HTTPHeaders) {
        headers.replaceOrAdd(name: PeerHeaders.version, value: PeerSoftware.current.version)
        headers.replaceOrAdd(name: PeerHeaders.syncProtocol, value: String(PeerSoftware.current.syncProtocol))
    }
}
