import Hummingbird
import NIOCore

/// Refuses request bodies over the configured size with 413, in a way every client receives:
/// the rest of a refused body is read and thrown away (up to `discardLimit`) before the answer
/// goes out. A client that writes its whole body before reading (Python's urllib, Java's
/// fixed-length streaming) would otherwise hang: with `Connection: close` the server answers,
/// then neither reads nor closes. Past `discardLimit` the server stops reading the connection,
/// so such a client sees it closed instead of waiting forever.
///
/// A body within the limit is read here once, so every handler behind it reads it from memory.
struct BodyLimitMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    /// What is read and thrown away of a refused body before the connection stops being read.
    static let discardLimit = 64 << 20

    let limit: Int
    /// The family's own 413.
    var refusal: @Sendable (_ limit: Int) -> any Error = { limit in
        HTTPError(.contentTooLarge, message: "The request body is larger than the server accepts (\(limit) bytes)")
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var request = request
        var iterator = request.body.makeAsyncIterator()
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > limit {
            try await discard(&iterator, alreadyRead: 0, context: context)
            throw refusal(limit)
        }
        var collected = ByteBuffer()
        while let part = try await iterator.next() {
            guard collected.readableBytes + part.readableBytes <= limit else {
                try await discard(&iterator, alreadyRead: collected.readableBytes + part.readableBytes, context: context)
                throw refusal(limit)
            }
            // Most bodies arrive in one part: it is kept as it is, not copied.
            if collected.readableBytes == 0 { collected = part } else { collected.writeImmutableBuffer(part) }
        }
        request.body = RequestBody(buffer: collected)
        var context = context
        context.maxUploadSize = limit
        return try await next(request, context)
    }

    private func discard(_ iterator: inout RequestBody.AsyncIterator, alreadyRead: Int, context: Context) async throws {
        var read = alreadyRead
        while read <= Self.discardLimit, let part = try await iterator.next() {
            read += part.readableBytes
        }
        if read > Self.discardLimit { context.channel.close(mode: .input, promise: nil) }
    }
}
