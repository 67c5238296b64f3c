import NIOCore
import NIOWebSocket

/// Sends a ping every ``Keepalive/interval`` and, with a ``Keepalive/timeout``, fails the connection when
/// nothing at all has come from the peer within that long of a ping (RFC 6455 section 5.5.2: a ping may serve
/// "as a keepalive or as a means to verify that the remote endpoint is still responsive").
///
/// It sits between NIO's frame decoder and the session handler, and only when a keepalive was asked for, so
/// that sessions without one pay nothing per frame. Any frame counts as an answer, so a pong queued behind a
/// large message is not needed in time. The pongs that answer its own pings (their payload starts with
/// ``payloadPrefix``) are dropped here: the person at the REPL asked for none of them. A dead connection is
/// reported to the session handler as an error, which ends the session as dropped, naming the silence as the
/// cause.
final class KeepaliveHandler: ChannelDuplexHandler {
    typealias InboundIn = WebSocketFrame
    typealias InboundOut = WebSocketFrame
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// What the session handler is told when the peer stays silent.
    struct PeerSilent: Error, CustomStringConvertible {
        let timeout: Duration

        var description: String {
            "nothing received for \(self.timeout) after a ping"
        }
    }

    private let keepalive: Keepalive
    private var encoder: FrameEncoder
    private var pings: RepeatedTask?
    private var silenceCheck: Scheduled<Void>?
    /// Whether a ping went out and nothing has come from the peer since; the silence check runs from the first
    /// such ping.
    private var awaitingAnswer = false
    /// How many pings were sent: each carries its number, which makes each pong traceable in a peer's log.
    private var pingsSent = 0

    /// A handler for a session in `role`: a client masks its pings.
    init(_ keepalive: Keepalive, role: SessionRole) {
        self.keepalive = keepalive
        self.encoder = FrameEncoder(masking: role.masksOutgoingFrames)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let interval = TimeAmount(self.keepalive.interval)
        let loopBoundSelf = NIOLoopBound(self, eventLoop: context.eventLoop)
        let loopBoundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
        self.pings = context.eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in
            loopBoundSelf.value.ping(context: loopBoundContext.value)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.stop()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.stop()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.awaitingAnswer = false
        let frame = self.unwrapInboundIn(data)
        if frame.opcode == .pong, !self.keepalive.reportsPongs,
            frame.data.readableBytesView.starts(with: Keepalive.payloadPrefix.utf8)
        {
            return
        }
        context.fireChannelRead(data)
    }

    private func ping(context: ChannelHandlerContext) {
        self.pingsSent += 1
        var frame = context.channel.allocator.buffer(capacity: 32)
        let payload = ByteBuffer(
            string: Keepalive.payloadPrefix + "\(self.pingsSent) \(NIODeadline.now().uptimeNanoseconds)"
        )
        self.encoder.encode(.ping, payload: payload, into: &frame)
        context.writeAndFlush(Self.wrapOutboundOut(frame), promise: nil)
        guard let timeout = self.keepalive.timeout, !self.awaitingAnswer else {
            return
        }
        self.awaitingAnswer = true
        self.scheduleSilenceCheck(after: timeout, context: context)
    }

    /// After `timeout`, the connection fails if nothing has arrived since the ping that started the wait.
    private func scheduleSilenceCheck(after timeout: Duration, context: ChannelHandlerContext) {
        self.silenceCheck?.cancel()
        let loopBoundSelf = NIOLoopBound(self, eventLoop: context.eventLoop)
        let loopBoundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
        self.silenceCheck = context.eventLoop.scheduleTask(in: TimeAmount(timeout)) {
            let handler = loopBoundSelf.value
            guard handler.awaitingAnswer else {
                return
            }
            handler.stop()
            loopBoundContext.value.fireErrorCaught(PeerSilent(timeout: timeout))
        }
    }

    private func stop() {
        self.pings?.cancel()
        self.pings = nil
        self.silenceCheck?.cancel()
        self.silenceCheck = nil
    }
}

@available(*, unavailable)
extension KeepaliveHandler: Sendable {}

/// Pings sent on a schedule (``interval``), and how long the peer may stay silent after one before the
/// connection counts as dead (``timeout``).
///
/// NATs and proxies drop connections that carry nothing for a few minutes, and a peer that vanished without
/// a FIN (a laptop closed, a cable pulled) leaves a quiet connection that TCP alone notices only after many
/// minutes; a client that follows a feed with no time limit would wait forever.
public struct Keepalive: Sendable, Equatable {
    /// Time between pings.
    public var interval: Duration
    /// How long after a ping the connection may carry nothing from the peer before it is dropped; `nil`
    /// sends pings without watching for answers.
    public var timeout: Duration?
    /// Whether the pongs that answer these pings reach the front end as events; otherwise they are dropped
    /// on the way, since nobody asked to see them.
    public var reportsPongs: Bool

    /// Pings every `interval`, and with a `timeout` the connection fails when nothing arrives within that long
    /// of a ping.
    public init(interval: Duration, timeout: Duration? = nil, reportsPongs: Bool = false) {
        self.interval = interval
        self.timeout = timeout
        self.reportsPongs = reportsPongs
    }

    /// The start of every keepalive ping's payload; the number of the ping follows, then the monotonic time it
    /// was sent, in nanoseconds.
    static let payloadPrefix = "wsc keepalive "

    /// The time since the ping that `pong` answers was sent, when it answers one of these pings; `nil` for
    /// any other pong.
    public static func roundTrip(of pong: ByteBuffer) -> Duration? {
        guard pong.readableBytesView.starts(with: Self.payloadPrefix.utf8),
            let sent = pong.getString(at: pong.readerIndex, length: pong.readableBytes)?.split(separator: " ").last
                .flatMap({ UInt64($0) })
        else {
            return nil
        }
        let now = NIODeadline.now().uptimeNanoseconds
        return now >= sent ? .nanoseconds(now - sent) : nil
    }
}
