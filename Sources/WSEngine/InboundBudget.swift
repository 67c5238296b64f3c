import NIOConcurrencyHelpers

/// How many bytes of received messages the session may hand to the front end before the front end has
/// dealt with them: shared by the session handler, which counts what it delivers, and the front end's event
/// iterator, which counts what it is done with.
///
/// Counting bytes rather than read bursts keeps memory near the message size limit whatever the messages'
/// size: compressed messages that each inflate to almost the limit used to pile up ten deep (668 MB) behind
/// a blocked stdout. Once the budget is spent the handler holds the frames it has (small, still compressed)
/// and reads no more until the front end frees some of it.
final class InboundBudget: Sendable {
    /// Bytes that may be outstanding before reading stops.
    let limit: Int
    private let state = NIOLockedValueBox(State())

    private struct State {
        /// Delivered and not yet dealt with.
        var outstanding = 0
        /// Whether the handler stopped reading for want of budget and waits for a `read` to go on.
        var paused = false
    }

    /// A budget for a session accepting messages up to `maxMessageSize` bytes: half of that, and at least
    /// 1 MiB so that small limits do not throttle a stream of small messages. With the message being
    /// assembled and the last one delivered, memory stays within about twice the limit.
    init(maxMessageSize: Int) {
        self.limit = max(maxMessageSize / 2, 1 << 20)
    }

    /// Whether delivering `pending` more bytes would reach the limit; if so, the handler is paused until
    /// ``consumed(_:)`` reports that it may go on.
    func isSpent(pending: Int) -> Bool {
        self.state.withLockedValue { state in
            guard state.outstanding + pending >= self.limit else { return false }
            state.paused = true
            return true
        }
    }

    /// The handler handed `bytes` of messages to the front end.
    func delivered(_ bytes: Int) {
        self.state.withLockedValue { $0.outstanding += bytes }
    }

    /// The front end is done with `bytes` of messages; returns true when the handler was paused and may now
    /// go on, in which case the caller asks the channel to read.
    func consumed(_ bytes: Int) -> Bool {
        self.state.withLockedValue { state in
            state.outstanding -= bytes
            guard state.paused, state.outstanding < self.limit else { return false }
            state.paused = false
            return true
        }
    }
}
