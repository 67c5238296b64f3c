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
