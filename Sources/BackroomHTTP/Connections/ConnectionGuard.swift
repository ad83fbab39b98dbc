import BackroomCore
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Metrics
import NIOCore
import NIOHTTPTypes
import Synchronization

/// Keeps slow and flooding clients from holding the server (`ConnectionDeadlines`,
/// `ConnectionLimits`): closes a connection whose request head does not arrive in time or that
/// sits idle too long, and answers a connection past the limit 503 and closes it. One per
/// connection, after the HTTP decoder; a watcher at the front of the pipeline tells it when
/// bytes arrive, which the decoder does not until a head is whole.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// The connections open now, shared by every connection of a server.
    final class OpenConnections: Sendable {
        private let count = Atomic<Int>(0)
        let limits: ConnectionLimits

        init(limits: ConnectionLimits) {
            self.limits = limits
        }

        /// Counts a connection in; false when it is one too many.
        func open() -> Bool {
            count.add(1, ordering: .relaxed).newValue <= limits.maximum
        }

        func close() {
            count.subtract(1, ordering: .relaxed)
        }
    }

    private let open: OpenConnections
    private var deadlines: ConnectionDeadlines<ContinuousClock>
    private var admitted = true
    private var timer: Scheduled<Void>?
    /// When the pending timer fires; a later deadline waits for it, so that a keep-alive
    /// connection's requests do not each cancel and set a timer.
    private var timerAt: ContinuousClock.Instant?

    init(_ open: OpenConnections) {
        self.open = open
        deadlines = ConnectionDeadlines(limits: open.limits.deadlines, openedAt: .now)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        admitted = open.open()
        context.channel.closeFuture.whenComplete { [open] _ in open.close() }
        if !admitted { Counter(label: "backroom_http_connections_refused_total").increment() }
        let loop = context.eventLoop
        // Bytes are noted as they come; the timer is looked at once the read is done, when the
        // decoder has made of them whatever head they complete.
        let watcher = BytesWatcher(
            bytesArrived: { [self] in
                loop.assertInEventLoop()
                deadlines.bytesRead(at: .now)
            },
            readComplete: { [self] in schedule(context) }
        )
        try? context.pipeline.syncOperations.addHandler(watcher, position: .first)
        schedule(context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        timerAt = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        guard admitted else {
            if case .head = part { refuse(context) }
            return
        }
        switch part {
        case .head: deadlines.headRead(at: .now)
        case .end: deadlines.requestEnded()
        case .body: break
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            deadlines.responseEnded(at: .now)
            schedule(context)
        }
        context.write(data, promise: promise)
    }

    /// A connection past the limit: a clear answer, then closed.
    private func refuse(_ context: ChannelHandlerContext) {
        let body = ByteBuffer(string: #"{"error": "the server has too many connections open; try again shortly"}"#)
        let head = HTTPResponse(
            status: .serviceUnavailable,
            headerFields: [
                .contentType: "application/json; charset=utf-8", .contentLength: String(body.readableBytes), .retryAfter: "1",
                .connection: "close",
            ]
        )
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(body)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in context.close(promise: nil) }
    }

    /// Makes sure a timer fires by the current deadline: a pending one that fires sooner stays
    /// (it looks again when it fires), and none is needed while a whole request is answered.
    private func schedule(_ context: ChannelHandlerContext) {
        guard let deadline = deadlines.deadline else { return }
        if let timerAt, timerAt <= deadline { return }
        timer?.cancel()
        timerAt = deadline
        timer = context.eventLoop.assumeIsolatedUnsafeUnchecked().scheduleTask(in: TimeAmount(deadline - .now)) { [self] in
            timer = nil
            timerAt = nil
            if deadlines.hasRunOut(at: .now) {
                Counter(label: "backroom_http_connections_timed_out_total").increment()
                context.close(promise: nil)
            } else {
                schedule(context)
            }
        }
    }
}

/// Tells its guard that bytes arrived, before the HTTP decoder makes anything of them, and when
/// a read is done.
private final class BytesWatcher: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    private let bytesArrived: () -> Void
    private let readComplete: () -> Void

    init(bytesArrived: @escaping () -> Void, readComplete: @escaping () -> Void) {
        self.bytesArrived = bytesArrived
        self.readComplete = readComplete
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        bytesArrived()
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.fireChannelReadComplete()
        readComplete()
    }
}

@available(*, unavailable)
extension ConnectionGuard: Sendable {}
