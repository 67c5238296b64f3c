import NIOCore

/// What a front end asks the session to do; written to the session's outbound side.
public enum SessionCommand: Sendable {
    /// Sends a text message. The payload must be valid UTF-8: front ends validate input before they send it,
    /// so that a broken text frame never leaves wsc.
    case text(ByteBuffer)
    /// Sends a binary message.
    case binary(ByteBuffer)
    /// Sends a ping with this application data (at most 125 bytes, RFC 6455 section 5.5).
    case ping(ByteBuffer)
    /// Starts the closing handshake (RFC 6455 section 7.1.2). The reason is at most 123 bytes of UTF-8.
    case close(CloseCode, reason: String)
}
