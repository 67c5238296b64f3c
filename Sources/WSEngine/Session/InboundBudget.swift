import NIOConcurrencyHelpers
import NIOCore

/// How many bytes of received messages the session may hand to the front end before the front end has
/// dealt with them: shared by the session handler, which counts what it delivers, and the front end's event
/// iterator, which counts what it is done with.
///
/// Counting bytes rather than read bursts keeps memory near the message size limit whatever the messages'
/// size: compressed messages that each inflate to almost the limit used to pile up ten deep (668 MB) behind
/// a blocked stdout. Once the budget is spent the handler holds the frames it has (small, still compressed)
/// and reads no more until the front end frees some of it. The sessions of a listener also share a
/// ``SharedInboundBudget``, which bounds what they have outstanding together.
final class InboundBudget: Sendable {
    /// Bytes that may be outstanding before reading stops.
    let limit: Int
    /// The budget shared with the other sessions of a listener, if any.
    private let shared: SharedInboundBudget?
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
    init(maxMessageSize: Int, shared: SharedInboundBudget? = nil) {
        self.limit = max(maxMessageSize / 2, 1 << 20)
        self.shared = shared
    }

    /// Gives what is still outstanding back to the shared budget: the session is over.
    deinit {
        let outstanding = self.state.withLockedValue { $0.outstanding }
        self.shared?.forget(ObjectIdentifier(self))
        if outstanding > 0 {
            self.shared?.released(outstanding)
        }
    }

    /// Whether delivering `pending` more bytes would reach the limit, this session's or the shared one; if
    /// so, the handler is paused until ``consumed(_:)`` reports that it may go on, or the shared budget
    /// asks `channel` to read.
    func isSpent(pending: Int, channel: any Channel) -> Bool {
        let ownSpent = self.state.withLockedValue { state in
            guard state.outstanding + pending >= self.limit else { return false }
            state.paused = true
            return true
        }
        return ownSpent || self.shared?.isSpent(pending: pending, key: ObjectIdentifier(self), channel: channel) == true
    }

    /// The handler handed `bytes` of messages to the front end.
    func delivered(_ bytes: Int) {
        self.state.withLockedValue { $0.outstanding += bytes }
        self.shared?.delivered(bytes)
    }

    /// The front end is done with `bytes` of messages; returns true when the handler was paused and may now
    /// go on, in which case the caller asks the channel to read.
    func consumed(_ bytes: Int) -> Bool {
        let resume = self.state.withLockedValue { state in
            state.outstanding -= bytes
            guard state.paused, state.outstanding < self.limit else { return false }
            state.paused = false
            return true
        }
        if bytes > 0 {
            self.shared?.released(bytes)
        }
        return resume
    }
}
