import NIOConcurrencyHelpers
import NIOCore
import WSTLS

/// Sits right behind `TLSClientHandler` and keeps what the connector needs once the upgrade is over: what
/// the TLS handshake agreed on (for a verbose report), and the first TLS failure.
///
/// The failure is kept because it is the cause of everything that follows it: the TLS handler closes the
/// channel after reporting it, and the HTTP upgrade then fails too, with an error that only says the
/// connection went away. The connector reports the TLS failure instead. The state is locked because the
/// connector reads it from its task, after the event loop is done with the handshake.
final class TLSHandshakeObserver: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private struct State {
        var summary: TLSSessionInfo?
        var completed: ContinuousClock.Instant?
        var error: TLSError?
    }

    private let state = NIOLockedValueBox(State())

    /// What the handshake agreed on, once it completed.
    var summary: TLSSessionInfo? {
        self.state.withLockedValue { $0.summary }
    }

    /// When the handshake completed, if it did.
    var completed: ContinuousClock.Instant? {
        self.state.withLockedValue { $0.completed }
    }

    /// The first TLS failure seen, if any.
    var error: TLSError? {
        self.state.withLockedValue { $0.error }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let completed = event as? TLSHandshakeCompleted {
            let now = ContinuousClock.now
            self.state.withLockedValue { state in
                state.summary = completed.session
                state.completed = now
            }
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let error = error as? TLSError {
            self.state.withLockedValue { state in
                if state.error == nil {
                    state.error = error
                }
            }
        }
        context.fireErrorCaught(error)
    }
}
