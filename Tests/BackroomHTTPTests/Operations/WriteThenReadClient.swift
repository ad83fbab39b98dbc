import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// An HTTP/1.1 client that writes its whole request before it reads a byte of the answer, as
/// Python's urllib and Java's fixed-length streaming do. Blocking sockets with time-outs: a
/// server that neither reads nor answers makes it fail after `timeout`, never hang.
struct WriteThenReadClient {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    enum Outcome: Equatable {
        /// The status line's code and the body.
        case answered(status: Int, body: String)
        /// The server stopped the connection while the request was still being written.
        case cutOff
    }

    let port: Int
    var timeout = 20

    /// `request` on a thread of its own: its blocking calls must not hold one of the few
    /// threads that Swift's tasks, the server's among them, run on.
    func onOwnThread(_ method: String, _ path: String, headers: [String: String], body: [UInt8], chunked: Bool = false) async throws -> Outcome {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try request(method, path, headers: headers, body: body, chunked: chunked) })
            }
        }
    }

    func request(_ method: String, _ path: String, headers: [String: String], body: [UInt8], chunked: Bool = false) throws -> Outcome {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw Failure(description: "socket: \(errno)") }
        defer { Glibc.close(socket) }
        var wait = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_SNDTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw Failure(description: "connect: \(errno)") }

        var written = 0
        let bytes = Self.encode(method, path, headers: headers, body: body, chunked: chunked)
        while written < bytes.count {
            let result = bytes[written...].withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if result < 0 {
                if errno == EPIPE || errno == ECONNRESET { return .cutOff }
                throw Failure(description: errno == EAGAIN ? "the server stopped reading and did not answer" : "send: \(errno)")
            }
            written += result
        }
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = Glibc.recv(socket, &buffer, buffer.count, 0)
            if count == 0 { break }
            if count < 0 {
                if errno == ECONNRESET { break }
                throw Failure(description: errno == EAGAIN ? "no answer within \(timeout) s" : "recv: \(errno)")
            }
            answer += buffer[0..<count]
            if let parsed = Self.complete(answer) { return parsed }
        }
        return Self.complete(answer) ?? .cutOff
    }

    private static func encode(_ method: String, _ path: String, headers: [String: String], body: [UInt8], chunked: Bool) -> [UInt8] {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += chunked ? "Transfer-Encoding: chunked\r\n\r\n" : "Content-Length: \(body.count)\r\n\r\n"
        guard chunked else { return Array(head.utf8) + body }
        var bytes = Array(head.utf8)
        var offset = 0
        while offset < body.count {
            let piece = body[offset..<min(offset + 65_536, body.count)]
            bytes += Array("\(String(piece.count, radix: 16))\r\n".utf8) + piece + Array("\r\n".utf8)
            offset += piece.count
        }
        return bytes + Array("0\r\n\r\n".utf8)
    }

    /// The answer once its head and its `Content-Length` of body have arrived.
    private static func complete(_ bytes: [UInt8]) -> Outcome? {
        guard let text = String(bytes: bytes, encoding: .utf8), let end = text.range(of: "\r\n\r\n") else { return nil }
        let lines = text[..<end.lowerBound].split(separator: "\r\n")
        guard let status = lines.first.flatMap({ $0.split(separator: " ").dropFirst().first }).flatMap({ Int($0) }) else { return nil }
        let length =
            lines.dropFirst().first { $0.lowercased().hasPrefix("content-length:") }
            .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
        let body = String(text[end.upperBound...])
        guard body.utf8.count >= length else { return nil }
        return .answered(status: status, body: body)
    }
}
