import NIOCore
import NIOWebSocket
import WSDeflate

/// The life of a session after the opening handshake, as a value: frames and commands go in, actions for
/// the channel handler come out (RFC 6455 sections 5 and 7). The same machine runs a client session and,
/// with role `.server`, each session that the listener accepts.
///
/// Keeping this free of channels lets every rule be tested by feeding it frames. With permessage-deflate
/// negotiated it also owns the session's zlib streams (RFC 7692), so that compression follows the same
/// order as the messages and ends with the session.
struct SessionStateMachine {
    private enum State {
        /// Messages flow both ways.
        case open
        /// We sent a Close frame with this code and wait for the peer's; messages still arrive.
        case closeSent(CloseCode, reason: String, violation: ProtocolViolation?)
        /// The peer broke the protocol and the end is reported; our Close with this code is not sent yet,
        /// so that what the front end sends for the messages delivered before the violation goes first.
        case failing(CloseCode)
        /// The session is over and has been reported.
        case closed
    }

    /// What the handler does with a received frame.
    enum FrameAction {
        /// Pass the event on to the front end.
        case deliver(SessionEvent)
        /// Answer a ping with a pong carrying the same data, then pass the ping on.
        case answerPing(ByteBuffer)
        /// Nothing yet: a fragment was stored, or the session is already over.
        case none
        /// Send this Close frame, then close the connection and report.
        case sendCloseThenShutdown(CloseCode, reason: String, CloseReport)
        /// Close the connection and report: our Close was answered.
        case shutdown(CloseReport)
        /// The peer broke the protocol: report now, and send this Close once the front end is done with the
        /// messages delivered before the violation (see ``failureCloseDue()``), then close the connection.
        case failConnection(CloseCode, CloseReport)
    }

    /// What the handler does with a message the front end asks to send.
    enum MessageAction {
        /// Send one frame with this payload; `compressed` sets RSV1 (RFC 7692 section 6.1).
        case send(ByteBuffer, compressed: Bool)
        /// Drop it: our Close is sent, and no data may follow it (RFC 6455 section 5.5.1).
        case discard
        /// Compression failed and the session is over: perform this instead.
        case fail(FrameAction)
    }

    /// What the handler does when the front end asks to close.
    enum CloseAction {
        /// Send the Close frame and start the close timer.
        case sendClose(CloseCode, reason: String)
        /// A close is already under way or done.
        case none
    }

    private var state = State.open
    /// Whether a message we send in pieces has begun and not ended: continuations may follow only then.
    private var sendingInPieces = false
    private var assembler: MessageAssembler
    /// Which end we are; decides the masking rule.
    let role: SessionRole
    private let compression: MessageCompression?

    /// A session for `role` accepting messages up to `maxMessageSize` bytes; `compression` is set when
    /// permessage-deflate was negotiated.
    init(role: SessionRole = .client, maxMessageSize: Int, compression: MessageCompression? = nil) {
        self.role = role
        self.compression = compression
        self.assembler = MessageAssembler(maxMessageSize: maxMessageSize, decompressor: compression?.decompressor)
    }

    /// Whether data messages may still be sent (RFC 6455 section 5.5.1: none after our Close).
    var canSendData: Bool {
        switch self.state {
        case .open, .failing: true
        case .closeSent, .closed: false
        }
    }

    /// The Close that fails the connection is to go out now; returns its code, or `nil` when the connection is
    /// not being failed or that Close is already out.
    mutating func failureCloseDue() -> CloseCode? {
        switch self.state {
        case .failing(let code):
            self.state = .closed
            return code
        case .open, .closeSent, .closed:
            return nil
        }
    }

    /// A frame arrived.
    mutating func received(_ frame: WebSocketFrame) -> FrameAction {
        switch self.state {
        case .closed, .failing:
            return .none
        case .open, .closeSent:
            break
        }
        if let violation = self.frameViolation(frame) {
            return self.fail(violation)
        }
        switch frame.opcode {
        case .text, .binary, .continuation:
            let received = self.assembler.receive(
                opcode: frame.opcode,
                fin: frame.fin,
                compressed: frame.rsv1,
                payload: PayloadMask.unmaskedPayload(of: frame)
            )
            switch received {
            case .success(.some(let event)): return .deliver(event)
            case .success(.none): return .none
            case .failure(let violation): return self.fail(violation)
            }
        case .ping:
            return .answerPing(PayloadMask.unmaskedPayload(of: frame))
        case .pong:
            return .deliver(.pong(PayloadMask.unmaskedPayload(of: frame)))
        case .connectionClose:
            return self.receivedClose(PayloadMask.unmaskedPayload(of: frame))
        default:
            return self.fail(
                ProtocolViolation(
                    closeCode: .protocolError,
                    "frame uses reserved opcode \(UInt8(webSocketOpcode: frame.opcode))"
                )
            )
        }
    }

    /// The front end asked to send a text or binary message: compressed when permessage-deflate was
    /// negotiated and the message is large enough to gain from it (RFC 7692 section 6 lets every message
    /// choose), dropped after our Close.
    mutating func sending(_ payload: ByteBuffer) -> MessageAction {
        guard self.canSendData else {
            return .discard
        }
        guard let compressor = self.compression?.compressor,
            payload.readableBytes >= PerMessageDeflateCompressor.minimumSizeWorthCompressing
        else {
            return .send(payload, compressed: false)
        }
        do {
            return .send(try compressor.compress(payload), compressed: true)
        } catch {
            // zlib failed without the data being at fault (out of memory): our window is lost.
            return .fail(
                self.fail(
                    ProtocolViolation(closeCode: .internalServerError, "could not compress a message: \(error)")
                )
            )
        }
    }

    /// The front end asked to send one piece of a long message: whether it goes out. A continuation goes only
    /// after its first piece did, so a session that joins a server's broadcast mid-message, or one that is
    /// closing, never sends a continuation of nothing.
    mutating func sendingPiece(first: Bool, final: Bool) -> Bool {
        guard self.canSendData, first || self.sendingInPieces else {
            return false
        }
        self.sendingInPieces = !final
        return true
    }

    /// The front end asked to close.
    mutating func closeRequested(_ code: CloseCode, reason: String) -> CloseAction {
        switch self.state {
        case .open:
            self.state = .closeSent(code, reason: reason, violation: nil)
            return .sendClose(code, reason: reason)
        case .closeSent, .failing, .closed:
            return .none
        }
    }

    /// A lower layer failed the connection with a protocol violation (the frame decoder's limits).
    mutating func failed(_ violation: ProtocolViolation) -> FrameAction {
        switch self.state {
        case .closed, .failing: .none
        case .open, .closeSent: self.fail(violation)
        }
    }

    /// The peer did not answer our Close in time; returns the report, or `nil` if the session already ended.
    mutating func closeTimedOut() -> CloseReport? {
        self.peerWentSilent()
    }

    /// The connection is gone; returns the report if the session had not ended yet. `transportFailure` is why,
    /// when the transport reported an error before the end, whether or not our Close was out, and
    /// `failedLimit` the configured limit behind it, if any.
    mutating func connectionDropped(transportFailure: String? = nil, failedLimit: EngineLimit? = nil) -> CloseReport? {
        switch self.state {
        case .open:
            self.state = .closed
            return CloseReport(
                initiator: .remote,
                code: .abnormalClosure,
                reason: "connection dropped without a Close frame",
                transportFailure: transportFailure,
                failedLimit: failedLimit
            )
        case .closeSent, .failing, .closed:
            return self.peerWentSilent(transportFailure: transportFailure, failedLimit: failedLimit)
        }
    }

    private mutating func peerWentSilent(transportFailure: String? = nil, failedLimit: EngineLimit? = nil)
        -> CloseReport?
    {
        switch self.state {
        case .closeSent(let code, let reason, let violation):
            self.state = .closed
            return CloseReport(
                initiator: .local,
                code: code,
                reason: reason,
                violation: violation,
                peerDidNotAnswer: true,
                transportFailure: transportFailure,
                failedLimit: failedLimit
            )
        case .open, .failing, .closed:
            return nil
        }
    }

    private mutating func receivedClose(_ payload: ByteBuffer) -> FrameAction {
        let parsed: (code: CloseCode, reason: String)
        switch Self.parseClose(payload) {
        case .success(let value): parsed = value
        case .failure(let violation): return self.fail(violation)
        }
        switch self.state {
        case .open:
            self.state = .closed
            let report = CloseReport(initiator: .remote, code: parsed.code, reason: parsed.reason)
            let echoed = parsed.code == .noStatusReceived ? CloseCode.normalClosure : parsed.code
            return .sendCloseThenShutdown(echoed, reason: "", report)
        case .closeSent(let code, let reason, let violation):
            self.state = .closed
            return .shutdown(CloseReport(initiator: .local, code: code, reason: reason, violation: violation))
        case .failing, .closed:
            return .none
        }
    }

    private mutating func fail(_ violation: ProtocolViolation) -> FrameAction {
        switch self.state {
        case .open:
            self.state = .failing(violation.closeCode)
            let report = CloseReport(
                initiator: .local,
                code: violation.closeCode,
                reason: violation.description,
                violation: violation
            )
            return .failConnection(violation.closeCode, report)
        case .closeSent(let code, let reason, _):
            self.state = .closed
            return .shutdown(CloseReport(initiator: .local, code: code, reason: reason, violation: violation))
        case .failing, .closed:
            return .none
        }
    }

    /// Rules every frame must obey (RFC 6455 sections 5.1 and 5.2; RFC 7692 section 6 for RSV1). The frame
    /// decoder already refuses fragmented and over-long control frames.
    private func frameViolation(_ frame: WebSocketFrame) -> ProtocolViolation? {
        switch (self.role, frame.maskKey) {
        case (.client, .some):
            return ProtocolViolation(closeCode: .protocolError, "server sent a masked frame")
        case (.server, .none):
            return ProtocolViolation(closeCode: .protocolError, "client sent an unmasked frame")
        case (.client, .none), (.server, .some):
            break
        }
        if frame.rsv2 || frame.rsv3 || (frame.rsv1 && self.compression == nil) {
            return ProtocolViolation(
                closeCode: .protocolError,
                "frame has reserved bits set but no extension was negotiated that defines them"
            )
        }
        guard frame.rsv1 else {
            return nil
        }
        switch frame.opcode {
        case .continuation:
            return ProtocolViolation(
                closeCode: .protocolError,
                "RSV1 set on a continuation frame; only a message's first frame may carry it"
            )
        case .ping, .pong, .connectionClose:
            return ProtocolViolation(closeCode: .protocolError, "RSV1 set on a control frame")
        default:
            // Text and binary frames start a compressed message; reserved opcodes fail on their own.
            return nil
        }
    }

    /// Reads the code and reason of a Close frame (RFC 6455 section 5.5.1).
    private static func parseClose(_ payload: ByteBuffer) -> Result<
        (code: CloseCode, reason: String), ProtocolViolation
    > {
        var payload = payload
        guard payload.readableBytes > 0 else {
            return .success((.noStatusReceived, ""))
        }
        guard let raw = payload.readInteger(as: UInt16.self) else {
            return .failure(ProtocolViolation(closeCode: .protocolError, "close frame with a 1-byte payload"))
        }
        let code = CloseCode(raw)
        guard code.isAllowedOnWire else {
            return .failure(
                ProtocolViolation(closeCode: .protocolError, "close code \(raw) is not allowed on the wire")
            )
        }
        guard payload.withUnsafeReadableBytes({ UTF8Validator.isValid($0) }) else {
            return .failure(ProtocolViolation(closeCode: .protocolError, "close reason is not valid UTF-8"))
        }
        return .success((code, String(buffer: payload)))
    }
}

/// The permessage-deflate state of one session (RFC 7692): a zlib stream for each direction, set up for
/// what both ends agreed on.
///
/// A reference to two zlib streams, not a value: the streams' windows carry over from message to message, so
/// the session state machine owns exactly one of these for the life of the connection, on its event loop.
struct MessageCompression {
    /// Compresses the messages we send.
    let compressor: PerMessageDeflateCompressor
    /// Decompresses the messages we receive with RSV1 set.
    let decompressor: PerMessageDeflateDecompressor

    /// Creates both streams for `role`; throws only when zlib cannot allocate its state.
    init(parameters: PerMessageDeflateParameters, role: SessionRole) throws(PerMessageDeflateError) {
        self.compressor = try PerMessageDeflateCompressor(parameters: parameters, role: role.deflateRole)
        self.decompressor = try PerMessageDeflateDecompressor(parameters: parameters, role: role.deflateRole)
    }
}
