import NIOCore

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
