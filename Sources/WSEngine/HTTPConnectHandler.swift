import NIOCore

/// Opens a tunnel through an HTTP proxy with `CONNECT host:port` (RFC 9110 section 9.3.6), then steps out of
/// the pipeline.
///
/// It goes first in the pipeline. Writes from the handlers behind it (TLS's ClientHello, the upgrade request)
/// wait here until the proxy answers 2xx; then they are sent in order, and any bytes that came right behind
/// the proxy's answer are passed on as the server's. Any other answer fails the connection with
/// ``ProxyError``.
final class HTTPConnectHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// A proxy's answer longer than this is not one wsc will wait for.
    private static let maximumResponseHeadSize = 16 * 1024

    private enum State {
        case waitingForActive
        case waitingForResponse
        case established
        case failed
    }

    private let proxy: ProxyConfiguration
    private let target: String
    private var state = State.waitingForActive
    private var response = ByteBuffer()
    private var waitingWrites = MarkedCircularBuffer<(data: NIOAny, promise: EventLoopPromise<Void>?)>(
        initialCapacity: 4
    )

    /// A handler that asks `proxy` for a tunnel to `target`, the server's `host:port` (``WebSocketURL/hostAndPort``).
    init(proxy: ProxyConfiguration, target: String) {
        self.proxy = proxy
        self.target = target
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive {
            self.sendRequest(context: context)
        }
    }

    func channelActive(context: ChannelHandlerContext) {
        self.sendRequest(context: context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .waitingForResponse = self.state else {
            context.fireChannelRead(data)
            return
        }
        var bytes = Self.unwrapInboundIn(data)
        self.response.writeBuffer(&bytes)
        let view = self.response.readableBytesView
        guard let headEnd = view.firstRange(of: [13, 10, 13, 10]) else {
            if self.response.readableBytes > Self.maximumResponseHeadSize {
                self.fail(.malformedAnswer(proxy: self.proxy), context: context)
            }
            return
        }
        // Only the status line matters: a 2xx opens the tunnel, and the headers of any answer are the proxy's.
        let statusLine = String(decoding: view[..<headEnd.lowerBound].prefix { $0 != 13 }, as: UTF8.self)
        self.response.moveReaderIndex(to: headEnd.upperBound)
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else {
            self.fail(.malformedAnswer(proxy: self.proxy), context: context)
            return
        }
        guard (200..<300).contains(status) else {
            self.fail(
                .refused(proxy: self.proxy, target: self.target, status: String(statusLine.dropFirst(9))),
                context: context
            )
            return
        }
        self.establish(context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if case .waitingForResponse = self.state {
            self.fail(.closedBeforeAnswering(proxy: self.proxy), context: context)
        }
        context.fireChannelInactive()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch self.state {
        case .established:
            context.write(data, promise: promise)
        case .failed:
            promise?.fail(ChannelError.ioOnClosedChannel)
        case .waitingForActive, .waitingForResponse:
            self.waitingWrites.append((data, promise))
        }
    }

    func flush(context: ChannelHandlerContext) {
        switch self.state {
        case .established:
            context.flush()
        case .waitingForActive, .waitingForResponse, .failed:
            self.waitingWrites.mark()
        }
    }

    private func sendRequest(context: ChannelHandlerContext) {
        guard case .waitingForActive = self.state else {
            return
        }
        self.state = .waitingForResponse
        var request = "CONNECT \(self.target) HTTP/1.1\r\nHost: \(self.target)\r\n"
        if let credentials = self.proxy.credentials {
            request += "Proxy-Authorization: \(credentials.authorizationValue)\r\n"
        }
        request += "\r\n"
        context.writeAndFlush(Self.wrapOutboundOut(ByteBuffer(string: request)), promise: nil)
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
        if self.response.readableBytes > 0 {
            context.fireChannelRead(Self.wrapInboundOut(self.response))
            context.fireChannelReadComplete()
        }
        self.response = ByteBuffer()
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
extension HTTPConnectHandler: Sendable {}
