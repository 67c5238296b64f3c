import NIOCore

/// What the session reports to a front end, in the order it happened on the wire.
public enum SessionEvent: Sendable {
    /// A complete text message; the payload has been checked to be UTF-8.
    case text(ByteBuffer)
    /// A complete binary message.
    case binary(ByteBuffer)
    /// The peer sent a ping; the session has already answered it with a pong.
    case ping(ByteBuffer)
    /// The peer sent a pong, in answer to our ping or unsolicited.
    case pong(ByteBuffer)
    /// Everything the socket had to give has been delivered: a good moment for a front end to flush its
    /// output, so that a reader downstream sees each message as it arrives while bursts stay batched.
    case idle
    /// The connection is over. Always the last event. Boxed (`indirect`): a report is 56 bytes and every
    /// other case 24 or less, and bursts of thousands of events are held in arrays of this enum.
    indirect case closed(CloseReport)
}

extension SessionEvent {
    /// The size of a message's payload, what counts against the session's ``InboundBudget``; 0 for the rest.
    var messageBytes: Int {
        switch self {
        case .text(let payload), .binary(let payload): payload.readableBytes
        case .ping, .pong, .idle, .closed: 0
        }
    }
}

/// What a front end asks the session to do; written to the session's outbound side.
public enum SessionCommand: Sendable {
    /// Sends a text message. The payload must be valid UTF-8: front ends validate input before they send it,
    /// so that a broken text frame never leaves wsc.
    case text(ByteBuffer)
    /// Sends a binary message.
    case binary(ByteBuffer)
    /// Sends one piece of a message too long to hold whole, as one frame (RFC 6455 section 5.4): the
    /// `first` carries the message's type (`binary` or text), the others are continuations, and the
    /// `final` one ends the message. No other message may start until it is ended. A text message's pieces
    /// together must be UTF-8; one piece may end inside a character. Sent uncompressed.
    case fragment(ByteBuffer, binary: Bool, first: Bool, final: Bool)
    /// Sends a ping with this application data (at most 125 bytes, RFC 6455 section 5.5).
    case ping(ByteBuffer)
    /// Starts the closing handshake (RFC 6455 section 7.1.2). The reason is at most 123 bytes of UTF-8.
    case close(CloseCode, reason: String)
}
