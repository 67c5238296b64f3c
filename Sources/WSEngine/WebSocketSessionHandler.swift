import NIOCore
import NIOWebSocket

/// Runs a client session on the channel: turns frames into ``SessionEvent``s and ``SessionCommand``s into
/// masked frames, doing whatever ``SessionStateMachine`` decides.
final class WebSocketSessionHandler: ChannelDuplexHandler {
    typealias InboundIn = WebSocketFrame
    typealias InboundOut = SessionEvent
    typealias OutboundIn = SessionCommand
    typealias OutboundOut = WebSocketFrame

    private var machine: SessionStateMachine
    private var maskingKeys = MaskingKeySource()
    private let closeTimeout: TimeAmount
    private var closeTimer: Scheduled<Void>?
    /// When the last frame arrived: the close timer counts from here, so a peer still busy sending what
    /// it had queued before our Close is not cut off while it is clearly alive.
    private var lastFrameTime = NIODeadline.now()
    private var deliveredSinceIdle = false

    /// Creates the handler; `closeTimeout` bounds the wait for the peer's answer to our Close.
    init(maxMessageSize: Int, closeTimeout: TimeAmount) {
        self.machine = SessionStateMachine(maxMessageSize: maxMessageSize)
        self.closeTimeout = closeTimeout
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if self.closeTimer != nil {
            self.lastFrameTime = .now()
        }
        self.perform(self.machine.received(Self.unwrapInboundIn(data)), context: context)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if self.deliveredSinceIdle {
            self.deliveredSinceIdle = false
            context.fireChannelRead(Self.wrapInboundOut(.idle))
        }
        context.fireChannelReadComplete()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let decoderError = error as? NIOWebSocketError else {
            // A transport failure (reset, broken pipe): the session ends as dropped when the channel closes.
            context.close(promise: nil)
            return
        }
        let violation =
            switch decoderError {
            case .invalidFrameLength:
                ProtocolViolation(
                    closeCode: .messageTooBig,
                    "frame larger than the message size limit (--max-message-size)"
                )
            case .fragmentedControlFrame:
                ProtocolViolation(closeCode: .protocolError, "server sent a fragmented control frame")
            case .multiByteControlFrameLength:
                ProtocolViolation(closeCode: .protocolError, "server sent a control frame longer than 125 bytes")
            }
        self.perform(self.machine.failed(violation), context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.closeTimer?.cancel()
        if let report = self.machine.connectionDropped() {
            self.report(report, context: context)
        }
        context.fireChannelInactive()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch Self.unwrapOutboundIn(data) {
        case .text(let payload):
            self.writeData(.text, payload, context: context, promise: promise)
        case .binary(let payload):
            self.writeData(.binary, payload, context: context, promise: promise)
        case .ping(let payload):
            context.write(Self.wrapOutboundOut(self.frame(.ping, payload)), promise: promise)
        case .close(let code, let reason):
            switch self.machine.closeRequested(code, reason: reason) {
            case .sendClose(let code, let reason):
                context.write(
                    Self.wrapOutboundOut(self.closeFrame(code, reason: reason, context: context)),
                    promise: promise
                )
                self.startCloseTimer(context: context)
            case .none:
                promise?.succeed()
            }
        }
    }

    /// Data after our Close may not be sent (RFC 6455 section 5.5.1); it is dropped, not failed, because the
    /// front end's input simply raced the end of the session.
    private func writeData(
        _ opcode: WebSocketOpcode,
        _ payload: ByteBuffer,
        context: ChannelHandlerContext,
        promise: EventLoopPromise<Void>?
    ) {
        guard self.machine.canSendData else {
            promise?.succeed()
            return
        }
        context.write(Self.wrapOutboundOut(self.frame(opcode, payload)), promise: promise)
    }

    private func perform(_ action: SessionStateMachine.FrameAction, context: ChannelHandlerContext) {
        switch action {
        case .deliver(let event):
            self.deliver(event, context: context)
        case .answerPing(let payload):
            context.writeAndFlush(Self.wrapOutboundOut(self.frame(.pong, payload)), promise: nil)
            self.deliver(.ping(payload), context: context)
        case .none:
            break
        case .sendCloseThenShutdown(let code, let reason, let report):
            self.report(report, context: context)
            let frame = self.closeFrame(code, reason: reason, context: context)
            context.writeAndFlush(Self.wrapOutboundOut(frame)).assumeIsolated().whenComplete { _ in
                context.close(promise: nil)
            }
        case .shutdown(let report):
            self.report(report, context: context)
            context.close(promise: nil)
        }
    }

    private func deliver(_ event: SessionEvent, context: ChannelHandlerContext) {
        self.deliveredSinceIdle = true
        context.fireChannelRead(Self.wrapInboundOut(event))
    }

    /// Reports the end of the session. The read-complete that follows makes the async bridge hand the
    /// event over at once, also when the end came from a timer rather than a read.
    private func report(_ report: CloseReport, context: ChannelHandlerContext) {
        self.closeTimer?.cancel()
        self.deliveredSinceIdle = false
        context.fireChannelRead(Self.wrapInboundOut(.closed(report)))
        context.fireChannelReadComplete()
    }

    private func startCloseTimer(context: ChannelHandlerContext) {
        self.lastFrameTime = .now()
        self.scheduleCloseTimer(at: self.lastFrameTime + self.closeTimeout, context: context)
    }

    private func scheduleCloseTimer(at deadline: NIODeadline, context: ChannelHandlerContext) {
        let loopBoundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
        let loopBoundSelf = NIOLoopBound(self, eventLoop: context.eventLoop)
        self.closeTimer = context.eventLoop.scheduleTask(deadline: deadline) {
            let handler = loopBoundSelf.value
            let context = loopBoundContext.value
            let quietUntil = handler.lastFrameTime + handler.closeTimeout
            if quietUntil > .now() {
                handler.scheduleCloseTimer(at: quietUntil, context: context)
            } else if let report = handler.machine.closeTimedOut() {
                handler.report(report, context: context)
                context.close(promise: nil)
            }
        }
    }

    private func frame(_ opcode: WebSocketOpcode, _ payload: ByteBuffer) -> WebSocketFrame {
        WebSocketFrame(fin: true, opcode: opcode, maskKey: self.maskingKeys.next(), data: payload)
    }

    /// A Close frame: the code, then the reason cut to the 123 bytes that fit a control frame, at a
    /// character boundary so the peer never sees broken UTF-8.
    private func closeFrame(_ code: CloseCode, reason: String, context: ChannelHandlerContext) -> WebSocketFrame {
        var reasonBytes = Substring(reason).utf8.prefix(123)
        while String(reasonBytes) == nil {
            reasonBytes = reasonBytes.dropLast()
        }
        var payload = context.channel.allocator.buffer(capacity: 2 + reasonBytes.count)
        payload.writeInteger(code.rawValue)
        payload.writeBytes(reasonBytes)
        return self.frame(.connectionClose, payload)
    }
}

@available(*, unavailable)
extension WebSocketSessionHandler: Sendable {}
