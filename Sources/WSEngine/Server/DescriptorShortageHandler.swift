import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// On the listening socket: when accepting fails for want of descriptors (EMFILE, ENFILE), closes the
/// connection that has waited longest for its opening handshake, so that the next accept can succeed.
///
/// NIO keeps asking to accept while the socket has connections waiting, and each failing attempt would come
/// straight back: freeing a descriptor ends that loop, and idle connections are the ones to give up first.
final class DescriptorShortageHandler: ChannelInboundHandler {
    typealias InboundIn = any Channel
    typealias InboundOut = any Channel

    private let pending: PendingHandshakes

    init(pending: PendingHandshakes) {
        self.pending = pending
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let error = error as? IOError, [EMFILE, ENFILE].contains(error.errnoCode) {
            self.pending.closeOldest()
        }
        context.fireErrorCaught(error)
    }
}

@available(*, unavailable)
extension DescriptorShortageHandler: Sendable {}
