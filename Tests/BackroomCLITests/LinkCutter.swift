import NIOCore
import NIOPosix
import Synchronization

/// A TCP proxy on loopback that a test controls: it passes every connection on to `target`
/// until `cut()`, which drops the open connections and refuses new ones until `restore()` —
/// a network link going down and coming back, with both processes still running.
final class LinkCutter: Sendable {
    private struct State {
        var isCut = false
        var open: [any Channel] = []
    }

    let port: Int
    private let listener: any Channel
    private let state: Mutex<State>

    private init(port: Int, listener: any Channel) {
        self.port = port
        self.listener = listener
        state = Mutex(State())
    }

    static func start(to target: Int) async throws -> LinkCutter {
        let box = StateBox()
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { inbound in
                guard let cutter = box.cutter.withLock({ $0 }), !cutter.state.withLock({ $0.isCut }) else {
                    return inbound.close()
                }
                return ClientBootstrap(group: inbound.eventLoop).connect(host: "127.0.0.1", port: target).flatMapThrowing { outbound in
                    try inbound.pipeline.syncOperations.addHandler(Relay(partner: outbound))
                    try outbound.pipeline.syncOperations.addHandler(Relay(partner: inbound))
                    cutter.state.withLock { $0.open += [inbound, outbound] }
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let cutter = LinkCutter(port: listener.localAddress?.port ?? 0, listener: listener)
        box.cutter.withLock { $0 = cutter }
        return cutter
    }

    func cut() async {
        let open = state.withLock { state in
            state.isCut = true
            defer { state.open = [] }
            return state.open
        }
        for channel in open { try? await channel.close() }
    }

    func restore() {
        state.withLock { $0.isCut = false }
    }

    func close() async {
        await cut()
        try? await listener.close()
    }

    /// Lets the child initializer reach the cutter created after the listener is bound.
    private final class StateBox: Sendable {
        let cutter = Mutex<LinkCutter?>(nil)
    }

    /// Passes what one side reads to the other; closing one side closes both.
    private final class Relay: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer

        let partner: any Channel

        init(partner: any Channel) {
            self.partner = partner
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            partner.writeAndFlush(unwrapInboundIn(data), promise: nil)
        }

        func channelInactive(context: ChannelHandlerContext) {
            partner.close(promise: nil)
            context.fireChannelInactive()
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }
    }
}
