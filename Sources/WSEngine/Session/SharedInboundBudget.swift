import NIOConcurrencyHelpers
import NIOCore

/// The bytes of received messages that all sessions of a listener together may have handed to the front end
/// and not yet seen dealt with: one counter over every session's ``InboundBudget``.
///
/// Each session's own budget bounds one client; this bounds their sum, which a crowd of clients would
/// otherwise multiply (each sending a few kilobytes of deflate data that inflate to nearly the message
/// limit). A session that finds it spent holds its frames, still compressed, stops reading, and waits here
/// until another session's front end frees some of it.
final class SharedInboundBudget: Sendable {
    /// Bytes that may be outstanding across sessions before they stop reading.
    let limit: Int
    private let state = NIOLockedValueBox(State())

    private struct State {
        /// Delivered by every session and not yet dealt with.
        var outstanding = 0
        /// The channels of sessions that stopped reading for want of this budget, to read again once
        /// there is some.
        var waiting: [ObjectIdentifier: any Channel] = [:]
    }

    /// A budget of `limit` bytes.
    init(limit: Int) {
        self.limit = limit
    }

    /// Whether delivering `pending` more bytes would reach the limit; if so, `channel` is read again once
    /// some of the budget is freed, under `key`.
    func isSpent(pending: Int, key: ObjectIdentifier, channel: any Channel) -> Bool {
        self.state.withLockedValue { state in
            guard state.outstanding + pending >= self.limit else { return false }
            state.waiting[key] = channel
            return true
        }
    }

    /// A session handed `bytes` of messages to its front end.
    func delivered(_ bytes: Int) {
        self.state.withLockedValue { $0.outstanding += bytes }
    }

    /// A session's front end is done with `bytes` of messages (or the session ended with them unread): every
    /// session waiting for the budget is asked to read again, and checks it again when it does.
    func released(_ bytes: Int) {
        let waiting = self.state.withLockedValue { state -> [any Channel] in
            state.outstanding -= bytes
            guard state.outstanding < self.limit, !state.waiting.isEmpty else { return [] }
            defer { state.waiting = [:] }
            return Array(state.waiting.values)
        }
        for channel in waiting {
            channel.read()
        }
    }

    /// A session ended: it waits no more.
    func forget(_ key: ObjectIdentifier) {
        _ = self.state.withLockedValue { $0.waiting.removeValue(forKey: key) }
    }
}
