/// What one read of decrypted application data produced.
enum TLSRead {
    /// This many bytes of application data were appended to the buffer.
    case bytes(Int)
    /// The peer sent `close_notify` (RFC 8446 section 6.1): its data stream has ended cleanly.
    case closeNotify
}
