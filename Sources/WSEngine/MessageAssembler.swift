import NIOCore
import NIOWebSocket

/// Joins data frames into messages and enforces the rules of RFC 6455 sections 5.4 and 8.1 that concern
/// them: continuation frames only inside a message, no new message before the last one ended, text that is
/// UTF-8 from its first fragment on, and the size limit.
struct MessageAssembler {
    /// The kind of message being assembled.
    private enum Kind {
        case text
        case binary
    }

    /// A message whose final frame has not arrived yet.
    private struct Partial {
        var kind: Kind
        var payload: ByteBuffer
        var validator: UTF8Validator
    }

    /// The largest message accepted, in bytes.
    let maxMessageSize: Int
    private var partial: Partial?

    init(maxMessageSize: Int) {
        self.maxMessageSize = maxMessageSize
    }

    /// Takes one data frame (text, binary or continuation); returns the completed message, `nil` while it
    /// is still incomplete, or the violation that ends the connection.
    mutating func receive(
        opcode: WebSocketOpcode,
        fin: Bool,
        payload: ByteBuffer
    ) -> Result<SessionEvent?, ProtocolViolation> {
        if opcode == .continuation {
            guard var partial = self.partial else {
                return .failure(
                    ProtocolViolation(closeCode: .protocolError, "continuation frame with no message started")
                )
            }
            self.partial = nil
            guard partial.payload.readableBytes + payload.readableBytes <= self.maxMessageSize else {
                return .failure(self.tooBig(partial.payload.readableBytes + payload.readableBytes))
            }
            if partial.kind == .text, let violation = Self.validate(payload, with: &partial.validator, final: fin) {
                return .failure(violation)
            }
            var more = payload
            partial.payload.writeBuffer(&more)
            guard fin else {
                self.partial = partial
                return .success(nil)
            }
            return .success(Self.event(partial.kind, partial.payload))
        }

        guard self.partial == nil else {
            return .failure(ProtocolViolation(closeCode: .protocolError, "new message started inside a fragmented one"))
        }
        guard payload.readableBytes <= self.maxMessageSize else {
            return .failure(self.tooBig(payload.readableBytes))
        }
        let kind: Kind = opcode == .text ? .text : .binary
        var validator = UTF8Validator()
        if kind == .text, let violation = Self.validate(payload, with: &validator, final: fin) {
            return .failure(violation)
        }
        guard fin else {
            self.partial = Partial(kind: kind, payload: payload, validator: validator)
            return .success(nil)
        }
        return .success(Self.event(kind, payload))
    }

    private static func event(_ kind: Kind, _ payload: ByteBuffer) -> SessionEvent {
        switch kind {
        case .text: .text(payload)
        case .binary: .binary(payload)
        }
    }

    private static func validate(_ payload: ByteBuffer, with validator: inout UTF8Validator, final: Bool)
        -> ProtocolViolation?
    {
        let valid = payload.withUnsafeReadableBytes { validator.consume($0) }
        guard valid, !final || validator.isAtBoundary else {
            return ProtocolViolation(closeCode: .invalidPayloadData, "text message is not valid UTF-8")
        }
        return nil
    }

    private func tooBig(_ size: Int) -> ProtocolViolation {
        ProtocolViolation(
            closeCode: .messageTooBig,
            "message of more than \(self.maxMessageSize) bytes (--max-message-size); \(size) bytes so far"
        )
    }
}
