import NIOCore
import NIOWebSocket

/// Runs a session on the channel: turns frames into ``SessionEvent``s and batches of ``SessionCommand``s
/// into frames (masked when we are the client), doing whatever ``SessionStateMachine`` decides.
///
/// Frames are decoded by NIO's `WebSocketFrameDecoder` in front of it; outgoing frames are encoded here,
/// a whole batch into one buffer (see ``FrameEncoder``). What it hands to the front end is bounded by an
/// ``InboundBudget`` of bytes: past it, frames wait here, still compressed, and the socket is not read.
final class WebSocketSessionHandler: ChannelDuplexHandler {
    typealias InboundIn = WebSocketFrame
    typealias InboundOut = [SessionEvent]
    typealias OutboundIn = OutboundBatch
    typealias OutboundOut = ByteBuffer

    private var machine: SessionStateMachine
    private var encoder: FrameEncoder
    private let closeTimeout: TimeAmount
    private var closeTimer: Scheduled<Void>?
    /// When the last frame arrived: the close timer counts from here, so a peer still busy sending what
    /// it had queued before our Close is not cut off while it is clearly alive.
    private var lastFrameTime = NIODeadline.uptimeNanoseconds(0)
    /// Events of the current read burst, handed on together at read-complete: one trip through the
    /// pipeline and the async bridge per burst instead of per message.
    private var pending: [SessionEvent] = []
    /// Bytes of the messages in ``pending``, not yet counted as delivered.
    private var pendingBytes = 0
    /// The first transport error (a TLS failure, a reset), named in the report when the connection drops.
    private var transportFailure: String?
    /// The configured limit behind ``transportFailure``, if any (the ping timeout).
    private var failedLimit: EngineLimit?
    /// What the front end has been handed and not yet dealt with, in bytes.
    let budget: InboundBudget
    /// Frames, and the decoder's verdicts, that arrived once the budget was spent, in order.
    private var held = CircularBuffer<HeldInput>()
    /// The connection ended while input was held: the end is reported once that input is handled.
    private var endHeld = false
    /// The front end closed the channel: held input will never be wanted.
    private var closedByFrontEnd = false

    private enum HeldInput {
        case frame(WebSocketFrame)
        case violation(ProtocolViolation)
    }

    /// Creates the handler; the close timeout bounds the wait for the peer's answer to our Close, and the
    /// time our own Close may take to leave after a protocol error. A listener's sessions share
    /// `sharedBudget`.
    init(
        configuration: SessionConfiguration,
        compression: MessageCompression? = nil,
        sharedBudget: SharedInboundBudget? = nil
    ) {
        self.machine = SessionStateMachine(
            role: configuration.role,
            maxMessageSize: configuration.maxMessageSize,
            compression: compression
        )
        self.encoder = FrameEncoder(masking: configuration.role.masksOutgoingFrames)
        self.closeTimeout = TimeAmount(configuration.closeTimeout)
        self.budget = InboundBudget(maxMessageSize: configuration.maxMessageSize, shared: sharedBudget)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if self.closeTimer != nil {
            self.lastFrameTime = context.eventLoop.now
        }
        // The instance form of NIO's unwrap: the compiler specializes it for the frame's type, while it calls
        // the static form generically, at a thousand instructions a frame (NIO 2.101, Swift 6.3).
        let frame = self.unwrapInboundIn(data)
        guard self.held.isEmpty, !self.budget.isSpent(pending: self.pendingBytes, channel: context.channel) else {
            self.held.append(.frame(frame))
            return
        }
        self.perform(self.machine.received(frame), context: context)
    }

    /// The front end wants more: handle held input while the budget allows, then read the socket if nothing
    /// is held any more.
    func read(context: ChannelHandlerContext) {
        if !self.held.isEmpty {
            self.handleHeld(context: context)
        }
        if self.held.isEmpty, !self.budget.isSpent(pending: self.pendingBytes, channel: context.channel) {
            context.read()
        }
    }

    private func handleHeld(context: ChannelHandlerContext) {
        while let next = self.held.first, !self.budget.isSpent(pending: self.pendingBytes, channel: context.channel) {
            self.held.removeFirst()
            switch next {
            case .frame(let frame):
                self.perform(self.machine.received(frame), context: context)
            case .violation(let violation):
                self.perform(self.machine.failed(violation), context: context)
            }
        }
        if !self.pending.isEmpty {
            self.pending.append(.idle)
            self.firePending(context: context)
            context.fireChannelReadComplete()
        }
        if self.held.isEmpty, self.endHeld {
            self.endHeld = false
            self.connectionEnded(context: context)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if !self.pending.isEmpty {
            self.pending.append(.idle)
            self.firePending(context: context)
        }
        context.fireChannelReadComplete()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let violation: ProtocolViolation
        switch error {
        case let found as ProtocolViolation:
            // Found by ``FrameDecoder`` in a frame header.
            violation = found
        case let decoderError as NIOWebSocketError:
            violation = self.violation(decoderError)
        default:
            // A transport failure (TLS, reset, broken pipe): the session ends as dropped when the channel
            // closes, and the report says why.
            if self.transportFailure == nil {
                self.transportFailure = TransportFailure.describe(error)
                self.failedLimit = error is KeepaliveHandler.PeerSilent ? .pingTimeout : nil
            }
            context.close(promise: nil)
            return
        }
        guard self.held.isEmpty else {
            // It concerns bytes behind the held frames: it waits its turn.
            self.held.append(.violation(violation))
            return
        }
        self.perform(self.machine.failed(violation), context: context)
    }

    /// What the limits of NIO's frame decoder mean for the session.
    private func violation(_ decoderError: NIOWebSocketError) -> ProtocolViolation {
        switch decoderError {
        case .invalidFrameLength:
            ProtocolViolation(
                closeCode: .messageTooBig,
                "frame larger than the message size limit",
                limit: .maxMessageSize
            )
        case .fragmentedControlFrame:
            ProtocolViolation(
                closeCode: .protocolError,
                "\(self.machine.role.peerName) sent a fragmented control frame"
            )
        case .multiByteControlFrameLength:
            ProtocolViolation(
                closeCode: .protocolError,
                "\(self.machine.role.peerName) sent a control frame longer than 125 bytes"
            )
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        guard self.held.isEmpty || self.closedByFrontEnd else {
            self.endHeld = true
            return
        }
        self.connectionEnded(context: context)
    }

    private func connectionEnded(context: ChannelHandlerContext) {
        self.closeTimer?.cancel()
        if let report = self.machine.connectionDropped(
            transportFailure: self.transportFailure,
            failedLimit: self.failedLimit
        ) {
            self.report(report, context: context)
        }
        context.fireChannelInactive()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        var output = context.channel.allocator.buffer(capacity: 0)
        var startsClose = false
        for command in self.unwrapOutboundIn(data).commands {
            switch command {
            case .text(let payload):
                self.encodeMessage(.text, payload, into: &output, context: context)
            case .binary(let payload):
                self.encodeMessage(.binary, payload, into: &output, context: context)
            case .fragment(let payload, let binary, let first, let final):
                if self.machine.sendingPiece(first: first, final: final) {
                    let opcode: WebSocketOpcode = first ? (binary ? .binary : .text) : .continuation
                    let separate = self.encoder.encodeData(opcode, payload: payload, fin: final, into: &output)
                    Self.writeSeparately(separate, after: &output, context: context)
                }
            case .ping(let payload):
                self.encoder.encode(.ping, payload: payload, into: &output)
            case .close(let code, let reason):
                switch self.machine.closeRequested(code, reason: reason) {
                case .sendClose(let code, let reason):
                    self.encodeClose(code, reason: reason, into: &output)
                    startsClose = true
                case .none:
                    break
                }
            }
        }
        context.write(Self.wrapOutboundOut(output), promise: promise)
        if startsClose {
            self.startCloseTimer(context: context)
        }
    }

    /// Data after our Close may not be sent (RFC 6455 section 5.5.1); it is dropped, not failed, because the
    /// front end's input simply raced the end of the session. A message is compressed here, in the order it
    /// is sent, when permessage-deflate was negotiated.
    private func encodeMessage(
        _ opcode: WebSocketOpcode,
        _ payload: ByteBuffer,
        into output: inout ByteBuffer,
        context: ChannelHandlerContext
    ) {
        switch self.machine.sending(payload) {
        case .send(let data, let compressed):
            let separate = self.encoder.encodeData(opcode, payload: data, rsv1: compressed, into: &output)
            Self.writeSeparately(separate, after: &output, context: context)
        case .discard:
            break
        case .fail(let action):
            // The frames encoded so far go out before the Close that ends the session.
            context.write(Self.wrapOutboundOut(output), promise: nil)
            output.clear()
            self.perform(action, context: context)
        }
    }

    /// A payload the encoder left out of the batch goes right after what the batch holds so far, which then
    /// starts again empty.
    private static func writeSeparately(
        _ payload: ByteBuffer?,
        after output: inout ByteBuffer,
        context: ChannelHandlerContext
    ) {
        guard let payload else { return }
        context.write(Self.wrapOutboundOut(output), promise: nil)
        context.write(Self.wrapOutboundOut(payload), promise: nil)
        output = context.channel.allocator.buffer(capacity: 0)
    }

    private func perform(_ action: SessionStateMachine.FrameAction, context: ChannelHandlerContext) {
        switch action {
        case .deliver(let event):
            self.deliver(event, context: context)
        case .answerPing(let payload):
            var pong = context.channel.allocator.buffer(capacity: 6 + payload.readableBytes)
            self.encoder.encode(.pong, payload: payload, into: &pong)
            context.writeAndFlush(Self.wrapOutboundOut(pong), promise: nil)
            self.deliver(.ping(payload), context: context)
        case .none:
            break
        case .sendCloseThenShutdown(let code, let reason, let report):
            self.report(report, context: context)
            self.sendClose(code, reason: reason, thenClose: nil, context: context)
        case .failConnection(let code, let report):
            // The front end gets the messages that came before the violation, and the report, now; the Close
            // waits until it is done with them (it closes the channel), so that an echo of them goes first.
            self.report(report, context: context)
            self.closeTimer = context.eventLoop.assumeIsolated().scheduleTask(in: self.closeTimeout) {
                if self.machine.failureCloseDue() != nil {
                    self.sendClose(code, reason: "", thenClose: nil, context: context)
                }
            }
        case .shutdown(let report):
            self.report(report, context: context)
            context.close(promise: nil)
        }
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        self.closedByFrontEnd = true
        guard mode == .all, let code = self.machine.failureCloseDue() else {
            context.close(mode: mode, promise: promise)
            return
        }
        self.closeTimer?.cancel()
        self.sendClose(code, reason: "", thenClose: promise, context: context)
    }

    /// Sends a Close frame, then closes the connection once it is out. The Close may sit behind data a peer
    /// never reads; the connection still ends in bounded time (RFC 6455 section 7.1.7: fail the connection,
    /// whether or not the Close could be sent).
    private func sendClose(
        _ code: CloseCode,
        reason: String,
        thenClose promise: EventLoopPromise<Void>?,
        context: ChannelHandlerContext
    ) {
        var close = context.channel.allocator.buffer(capacity: 131)
        self.encodeClose(code, reason: reason, into: &close)
        context.writeAndFlush(Self.wrapOutboundOut(close)).assumeIsolated().whenComplete { _ in
            context.close(promise: promise)
        }
        self.closeTimer = context.eventLoop.assumeIsolated().scheduleTask(in: self.closeTimeout) {
            context.close(promise: nil)
        }
    }

    private func deliver(_ event: SessionEvent, context: ChannelHandlerContext) {
        self.pending.append(event)
        self.pendingBytes += event.messageBytes
    }

    /// Reports the end of the session. The read-complete that follows makes the async bridge hand the
    /// event over at once, also when the end came from a timer rather than a read.
    private func report(_ report: CloseReport, context: ChannelHandlerContext) {
        self.closeTimer?.cancel()
        if !self.pending.isEmpty {
            // The messages before the end are a burst of their own: an echo front end answers them at `.idle`.
            self.pending.append(.idle)
        }
        self.pending.append(.closed(report))
        self.firePending(context: context)
        context.fireChannelReadComplete()
    }

    private func firePending(context: ChannelHandlerContext) {
        let events = self.pending
        self.pending = []
        self.budget.delivered(self.pendingBytes)
        self.pendingBytes = 0
        context.fireChannelRead(Self.wrapInboundOut(events))
    }

    private func startCloseTimer(context: ChannelHandlerContext) {
        self.lastFrameTime = context.eventLoop.now
        self.scheduleCloseTimer(at: self.lastFrameTime + self.closeTimeout, context: context)
    }

    private func scheduleCloseTimer(at deadline: NIODeadline, context: ChannelHandlerContext) {
        let loopBoundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
        let loopBoundSelf = NIOLoopBound(self, eventLoop: context.eventLoop)
        self.closeTimer = context.eventLoop.scheduleTask(deadline: deadline) {
            let handler = loopBoundSelf.value
            let context = loopBoundContext.value
            let quietUntil = handler.lastFrameTime + handler.closeTimeout
            if quietUntil > context.eventLoop.now {
                handler.scheduleCloseTimer(at: quietUntil, context: context)
            } else if let report = handler.machine.closeTimedOut() {
                handler.report(report, context: context)
                context.close(promise: nil)
            }
        }
    }

    /// A Close frame: the code, then the reason cut to the 123 bytes that fit a control frame, at a
    /// character boundary so the peer never sees broken UTF-8.
    private func encodeClose(_ code: CloseCode, reason: String, into output: inout ByteBuffer) {
        var reasonBytes = Substring(reason).utf8.prefix(123)
        while String(reasonBytes) == nil {
            reasonBytes = reasonBytes.dropLast()
        }
        var payload = ByteBuffer()
        payload.writeInteger(code.rawValue)
        payload.writeBytes(reasonBytes)
        self.encoder.encode(.connectionClose, payload: payload, into: &output)
    }
}

@available(*, unavailable)
extension WebSocketSessionHandler: Sendable {}

/// Commands a front end sends together: the session handler encodes them into one buffer, and the write's
/// completion is the signal that the next batch may be produced.
struct OutboundBatch: Sendable {
    var commands: [SessionCommand]
}
