import NIOConcurrencyHelpers
import NIOCore

/// The accepted connections of a listener, counted against its limit, and those among them whose opening
/// handshake has not finished, oldest first: stopping the listener drops those, and a listener that is out
/// of room (``ServerConfiguration/maxClients``, or descriptors) drops the oldest of them for a newcomer, so
/// that clients that connect and send nothing cannot keep real ones out.
final class PendingHandshakes: Sendable {
    private struct State {
        /// Handshakes in progress, by the order they were accepted in.
        var channels: [Int: any Channel] = [:]
        var nextOrder = 0
        /// Every connection accepted and not yet closed, sessions included.
        var open = 0
        /// New connections are being turned away, the first of them reported.
        var refusing = false
    }

    /// What becomes of a new connection.
    enum Admission: Equatable {
        /// There is room for it (made, if need be, by closing the oldest pending handshake).
        case admitted
        /// There is none: it is answered 503 and closed; only the first of a burst is reported.
        case refused(firstOfBurst: Bool)
    }

    private let state = NIOLockedValueBox(State())

    /// Tracks `channel` until it closes, and as a pending handshake until `handshake` completes or fails.
    func track(_ channel: any Channel, until handshake: EventLoopFuture<IncomingConnection>) {
        let order = self.state.withLockedValue { state in
            state.nextOrder += 1
            state.channels[state.nextOrder] = channel
            return state.nextOrder
        }
        handshake.whenComplete { _ in
            _ = self.state.withLockedValue { $0.channels.removeValue(forKey: order) }
        }
    }

    /// Counts `channel` as open until it closes, and decides whether it may stay when `limit` connections
    /// are the most allowed: at the limit the oldest pending handshake is closed to make room for it.
    func admit(_ channel: any Channel, limit: Int) -> Admission {
        let (atLimit, open) = self.state.withLockedValue { state in
            state.open += 1
            return (state.open > limit, state.open)
        }
        channel.closeFuture.whenComplete { _ in
            self.state.withLockedValue { $0.open -= 1 }
        }
        if atLimit && self.closeOldest() == nil && open > limit {
            return self.state.withLockedValue { state in
                defer { state.refusing = true }
                return .refused(firstOfBurst: !state.refusing)
            }
        }
        self.state.withLockedValue { $0.refusing = false }
        return .admitted
    }

    /// Closes the connection that has waited longest for its handshake, and returns it; `nil` if there is
    /// none.
    func closeOldest() -> (any Channel)? {
        let oldest = self.state.withLockedValue { state -> (any Channel)? in
            guard let order = state.channels.keys.min() else { return nil }
            return state.channels.removeValue(forKey: order)
        }
        oldest?.close(promise: nil)
        return oldest
    }

    /// Closes every connection still in its handshake.
    func closeAll() {
        for channel in self.state.withLockedValue({ Array($0.channels.values) }) {
            channel.close(promise: nil)
        }
    }
}
