import NIOCore

/// Opens a tunnel through a proxy, as its ``ProxyNegotiation`` says (HTTP `CONNECT`, SOCKS5), then steps
/// out of the pipeline.
///
/// It goes first in the pipeline. Writes from the handlers behind it (TLS's ClientHello, the upgrade request)
/// wait here until the tunnel is open; then they are sent in order, and any bytes that came right behind
/// the proxy's last answer are passed on as the server's. A proxy that gives no tunnel fails the connection
/// with ``ProxyError``.
final class ProxyTunnelHandler<Negotiation: ProxyNegotiation>: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum State {
        case waitingForActive
        case negotiating
        case established
        case failed
    }

    private var negotiation: Negotiation
    private var state = State.waitingForActive
    /// What the proxy sent and the negotiation has not read yet.
    private var answer = ByteBuffer()
    private var waitingWrites = MarkedCircularBuffer<(data: NIOAny, promise: EventLoopPromise<Void>?)>(
        initialCapacity: 4
    )

    /// A handler that opens a tunnel by `negotiation`.
    init(_ negotiation: Negotiation) {
        self.negotiation = negotiation
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive {
            self.startNegotiation(context: context)
        }
    }

    func channelActive(context: ChannelHandlerContext) {
        self.startNegotiation(context: context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .negotiating = self.state else {
            context.fireChannelRead(data)
            return
        }
        var bytes = self.unwrapInboundIn(data)
        self.answer.writeBuffer(&bytes)
        while true {
            switch self.negotiation.received(&self.answer) {
            case .needMoreBytes:
                return
            case .send(let bytes):
                context.writeAndFlush(Self.wrapOutboundOut(bytes), promise: nil)
            case .established:
                self.establish(context: context)
                return
            case .failed(let error):
                self.fail(error, context: context)
                return
            }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if case .negotiating = self.state {
            self.fail(self.negotiation.closedEarly, context: context)
        }
        context.fireChannelInactive()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch self.state {
        case .established:
            context.write(data, promise: promise)
        case .failed:
            promise?.fail(ChannelError.ioOnClosedChannel)
        case .waitingForActive, .negotiating:
            self.waitingWrites.append((data, promise))
        }
    }

    func flush(context: ChannelHandlerContext) {
        switch self.state {
        case .established:
            context.flush()
        case .waitingForActive, .negotiating, .failed:
            self.waitingWrites.mark()
        }
    }

    private func startNegotiation(context: ChannelHandlerContext) {
        guard case .waitingForActive = self.state else {
            return
        }
        self.state = .negotiating
        context.writeAndFlush(Self.wrapOutboundOut(self.negotiation.start()), promise: nil)
    }

    /// Sends what waited, hands on what came behind the answer, and leaves the pipeline.
    private func establish(context: ChannelHandlerContext) {
        self.state = .established
        let flushed = self.waitingWrites.hasMark
        while let write = self.waitingWrites.popFirst() {
            context.write(write.data, promise: write.promise)
        }
        if flushed {
            context.flush()
        }
        if self.answer.readableBytes > 0 {
            context.fireChannelRead(Self.wrapInboundOut(self.answer))
            context.fireChannelReadComplete()
        }
        self.answer = ByteBuffer()
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    private func fail(_ error: ProxyError, context: ChannelHandlerContext) {
        self.state = .failed
        while let write = self.waitingWrites.popFirst() {
            write.promise?.fail(error)
        }
        context.fireErrorCaught(error)
        context.close(promise: nil)
    }
}

@available(*, unavailable)
extension ProxyTunnelHandler: Sendable {}
