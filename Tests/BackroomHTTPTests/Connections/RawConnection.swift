import Foundation

/// A TCP connection to a test server driven byte by byte, as a slow or hostile client would:
/// headers half sent, a body cut off, nothing at all.
final class RawConnection {
    private let descriptor: Int32

    init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.EMFILE) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(descriptor)
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .ECONNREFUSED)
        }
    }

    deinit { close(descriptor) }

    func send(_ text: String) {
        _ = text.withCString { Glibc.send(descriptor, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
    }

    /// What the server sends until it closes the connection or `limit` passes; nil when it is
    /// still open then.
    func readUntilClosed(within limit: Duration) async -> String? {
        let (received, closed) = await receive(within: limit) { _ in false }
        return closed ? String(decoding: received, as: UTF8.self) : nil
    }

    /// The first answer to `text`, read until its headers and `Content-Length` bytes are in.
    func request(_ text: String) async -> String {
        send(text)
        let (received, _) = await receive(within: .seconds(30)) { received in
            let text = String(decoding: received, as: UTF8.self)
            guard let end = text.range(of: "\r\n\r\n") else { return false }
            let length =
                text[..<end.lowerBound].split(separator: "\r\n")
                .first { $0.lowercased().hasPrefix("content-length:") }
                .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
            return text.utf8.count - text[..<end.upperBound].utf8.count >= length
        }
        return String(decoding: received, as: UTF8.self)
    }

    /// Reads until `isWhole` says so, the server closes, or `limit` passes. The blocking reads
    /// run on a thread of their own: the server runs in this process, on the cooperative pool.
    private func receive(within limit: Duration, until isWhole: @escaping @Sendable (Data) -> Bool) async -> (Data, closed: Bool) {
        let descriptor = descriptor
        let milliseconds = Int(limit.components.seconds * 1000 + limit.components.attoseconds / 1_000_000_000_000_000)
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var received = Data()
                let deadline = Date().addingTimeInterval(Double(milliseconds) / 1000)
                while !isWhole(received) {
                    let left = Int32(max(0, deadline.timeIntervalSinceNow * 1000))
                    var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                    guard left > 0, poll(&poller, 1, left) > 0 else { break }
                    var buffer = [UInt8](repeating: 0, count: 4096)
                    let count = recv(descriptor, &buffer, buffer.count, 0)
                    if count <= 0 { return continuation.resume(returning: (received, true)) }
                    received.append(contentsOf: buffer.prefix(count))
                }
                continuation.resume(returning: (received, false))
            }
        }
    }
}
