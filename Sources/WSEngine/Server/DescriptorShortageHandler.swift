import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// On the listening socket: when accepting fails for want of descriptors (EMFILE, ENFILE), stops accepting
/// until a descriptor may be free: once the connection that has waited longest for its opening handshake,
/// closed for it, is gone, or after ``retryDelay`` when no connection is in its handshake.
///
/// The listening socket stays readable while connections wait. When the first accept of a wakeup fails, NIO
/// keeps its read pending and retries at once (its own backoff, `AcceptBackoffHandler`, only sees the reads
/// that follow a successful accept), for as long as no descriptor is freed: a loop at full CPU. Turning
/// `autoRead` off takes the socket out of the event loop's watch until it is turned back on.
final class DescriptorShortageHandler: ChannelInboundHandler {
    typealias InboundIn = any Channel
    typealias InboundOut = any Channel

    /// How long accepting pauses when closing a connection could not free a descriptor: the most a
    /// descriptor freed some other way (a session ending) waits to be used.
    static let retryDelay = TimeAmount.milliseconds(100)

    private let pending: PendingHandshakes
    private var paused = false

    init(pending: PendingHandshakes) {
        self.pending = pending
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if !self.paused, let error = error as? IOError, [EMFILE, ENFILE].contains(error.errnoCode) {
            self.pauseAccepting(context: context)
        }
        context.fireErrorCaught(error)
    }

    private func pauseAccepting(context: ChannelHandlerContext) {
        let channel = context.channel
        guard (try? channel.syncOptions?.setOption(.autoRead, value: false)) != nil else {
            return
        }
        self.paused = true
        let loop = context.eventLoop
        let room =
            self.pending.closeOldest()?.closeFuture
            ?? loop.assumeIsolated().scheduleTask(in: Self.retryDelay) {}.futureResult
        room.hop(to: loop).assumeIsolated().whenComplete { _ in
            self.paused = false
            // Fails only once the listener is closed, when there is nothing left to accept.
            try? channel.syncOptions?.setOption(.autoRead, value: true)
        }
    }
}

@available(*, unavailable)
extension DescriptorShortageHandler: Sendable {}
