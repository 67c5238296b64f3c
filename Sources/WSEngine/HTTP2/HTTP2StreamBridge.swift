import NIOCore
import NIOHTTP2

/// Carries a WebSocket session over an HTTP/2 stream (RFC 8441 section 5): the DATA frames' payloads go
/// to the frame decoder as bytes, in order, and the session's bytes go out as DATA frames, which HTTP/2's flow
/// control holds back while the server's window is shut, so a slow server slows the sender.
///
/// The stream ends as a TCP connection would: when the session closes (after the closing handshake, or on a
/// failure), its side ends with END_STREAM, and the channel closes once the server ends its side too, or is
/// reset with CANCEL if the server has not within the close timeout. A server that ends its side first has
/// its answer. A RST_STREAM, or the end of the connection after a GOAWAY, reaches the session as an
/// ``HTTP2Failure`` that names the error code.
final class HTTP2StreamBridge: ChannelDuplexHandler {
    typealias InboundIn = HTTP2Frame.FramePayload
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = HTTP2Frame.FramePayload

    private let closeTimeout: TimeAmount
    private var sentEnd = false
    private var receivedEnd = false
    private var reset = false
    private var closeTimer: Scheduled<Void>?

    /// How long the server has to end its side once ours has ended.
    init(closeTimeout: TimeAmount) {
        self.closeTimeout = closeTimeout
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let endStream: Bool
        switch self.unwrapInboundIn(data) {
        case .data(let data):
            if case .byteBuffer(let bytes) = data.data, bytes.readableBytes > 0 {
                context.fireChannelRead(Self.wrapInboundOut(bytes))
            }
            endStream = data.endStream
        case .headers(let trailers):
            endStream = trailers.endStream
        case .priority, .rstStream, .settings, .pushPromise, .ping, .goAway, .windowUpdate, .alternativeService,
            .origin:
            endStream = false
        }
        if endStream {
            self.receivedEnd = true
            if !self.sentEnd {
                self.endStream(context: context)
            }
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let payload = HTTP2Frame.FramePayload.data(.init(data: .byteBuffer(self.unwrapOutboundIn(data))))
        context.write(Self.wrapOutboundOut(payload), promise: promise)
    }

    /// Ends our side, then waits for the server's: a second close (the front end's, after the session's own)
    /// waits too, rather than reset a stream that is ending cleanly. Once both sides have ended, the stream is
    /// closed already, or about to be.
    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        guard mode == .all, !self.reset, !(self.sentEnd && self.receivedEnd), context.channel.isActive else {
            context.close(mode: mode, promise: promise)
            return
        }
        if let promise {
            context.channel.closeFuture.cascade(to: promise)
        }
        guard !self.sentEnd else { return }
        self.endStream(context: context)
        if !self.receivedEnd {
            self.closeTimer = context.eventLoop.assumeIsolated().scheduleTask(in: self.closeTimeout) {
                context.close(promise: nil)
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let closed = error as? NIOHTTP2Errors.StreamClosed else {
            context.fireErrorCaught(error)
            return
        }
        self.reset = true
        // A server may end a stream it has finished with RST_STREAM NO_ERROR rather than wait for our
        // END_STREAM (RFC 9113 section 8.1): after its own END_STREAM, that is a clean end.
        guard closed.errorCode != .noError || !self.receivedEnd else { return }
        context.fireErrorCaught(HTTP2Failure.reset(closed.errorCode))
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.closeTimer?.cancel()
        let ended = self.receivedEnd || self.reset
        if !ended, let goAway = HTTP2ConnectionHandler.goAway(endingStream: context.channel) {
            context.fireErrorCaught(goAway)
        }
        context.fireChannelInactive()
    }

    /// Ends our side of the stream: an empty DATA frame with END_STREAM (RFC 9113 section 8.1).
    private func endStream(context: ChannelHandlerContext) {
        self.sentEnd = true
        let end = HTTP2Frame.FramePayload.data(.init(data: .byteBuffer(ByteBuffer()), endStream: true))
        context.writeAndFlush(Self.wrapOutboundOut(end), promise: nil)
    }
}

@available(*, unavailable)
extension HTTP2StreamBridge: Sendable {}
