import NIOConcurrencyHelpers
import NIOCore

/// The accepted connections of a listener whose opening handshake has not finished, so that stopping the
/// listener does not wait on a client that connected and never sent its request.
final class PendingHandshakes: Sendable {
    private let channels = NIOLockedValueBox([ObjectIdentifier: any Channel]())

    /// Tracks `channel` until its handshake completes or fails.
    func track(_ channel: any Channel, until handshake: EventLoopFuture<IncomingConnection>) {
        let key = ObjectIdentifier(channel)
        self.channels.withLockedValue { $0[key] = channel }
        handshake.whenComplete { _ in
            _ = self.channels.withLockedValue { $0.removeValue(forKey: key) }
        }
    }

    /// Closes every connection still in its handshake.
    func closeAll() {
        for channel in self.channels.withLockedValue({ Array($0.values) }) {
            channel.close(promise: nil)
        }
    }
}
