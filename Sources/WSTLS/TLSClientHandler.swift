import NIOCore

/// The client side of TLS as a channel handler: ciphertext below, application bytes above.
///
/// Place it before the HTTP encoder: first in the pipeline, or right after a proxy's handler once the tunnel is
/// up (added to an active channel, it starts the handshake at once). The handshake starts as soon as the
/// channel is active; application writes made before it completes (the HTTP upgrade request, written on
/// `channelActive`) wait here and are encrypted afterwards, so no plaintext ever reaches the socket, and if the
/// handshake fails their promises fail and none of their bytes is sent. On success the handler fires
/// `TLSHandshakeCompleted`; on any TLS failure it fires `errorCaught` with a `TLSError` and closes the channel.
///
/// Closing the channel sends `close_notify` first; the peer's `close_notify` closes the channel after the data
/// before it has been passed on. A TCP end of stream without `close_notify` is passed on as a plain
/// `channelInactive`: the WebSocket layer above knows whether its stream was complete.
public final class TLSClientHandler: ChannelDuplexHandler, RemovableChannelHandler {
    public typealias InboundIn = ByteBuffer
    public typealias InboundOut = ByteBuffer
    public typealias OutboundIn = ByteBuffer
    public typealias OutboundOut = ByteBuffer

    /// The largest buffer of decrypted data passed on at once.
    private static let maximumReadSize = 1 << 20
    /// The smallest buffer decrypted into, so that a small read does not make tiny allocations in a row.
    private static let minimumReadSize = 1 << 14

    /// A write waiting for the handshake or for a flush.
    private struct WaitingWrite {
        var data: ByteBuffer
        var promise: EventLoopPromise<Void>?
    }

    private var stateMachine = TLSClientStateMachine()
    private let connection: TLSConnection?
    private let setupError: TLSError?
    /// Application writes not yet encrypted; the mark is the last one flushed.
    private var waitingWrites = MarkedCircularBuffer<WaitingWrite>(initialCapacity: 8)

    /// Creates the handler for a connection to `host`, the URL's host: a DNS name, or an IPv4 or IPv6 literal
    /// (brackets allowed). `context.configuration.serverName`, when set, replaces it for SNI and verification.
    public init(context: TLSClientContext, host: String) {
        let serverName = TLSServerName(host: context.configuration.serverName ?? host)
        do {
            self.connection = try TLSConnection(context: context, serverName: serverName)
            self.setupError = nil
        } catch {
            // Reported when the handshake would start, where the pipeline can carry it.
            self.connection = nil
            self.setupError = error
        }
    }

    public func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive {
            self.activate(context: context)
        }
    }

    public func handlerRemoved(context: ChannelHandlerContext) {
        self.failWaitingWrites(with: ChannelError.ioOnClosedChannel)
    }

    public func channelActive(context: ChannelHandlerContext) {
        self.activate(context: context)
        context.fireChannelActive()
    }

    public func channelInactive(context: ChannelHandlerContext) {
        switch self.stateMachine.channelInactive() {
        case .failHandshake:
            let error = self.connection?.closedDuringHandshakeError ?? .closedDuringHandshake
            self.failWaitingWrites(with: error)
            context.fireErrorCaught(error)
        case .failWaitingWrites:
            self.failWaitingWrites(with: ChannelError.ioOnClosedChannel)
        }
        context.fireChannelInactive()
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let connection = self.connection else {
            return
        }
        switch self.stateMachine.channelRead() {
        case .continueHandshake:
            connection.receive(self.unwrapInboundIn(data))
            self.advanceHandshake(context: context, connection: connection)
        case .readApplicationData:
            connection.receive(self.unwrapInboundIn(data))
            self.readApplicationData(context: context, connection: connection)
            switch self.stateMachine.readCompleted() {
            case .retryWrites:
                self.flushWaitingWrites(context: context)
            case .none:
                break
            }
        case .discard:
            break
        }
    }

    public func channelReadComplete(context: ChannelHandlerContext) {
        context.fireChannelReadComplete()
        if self.stateMachine.needsPeerBytes {
            // A handshake needs the server's answer even when the application has turned autoRead off.
            context.read()
        }
    }

    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch self.stateMachine.write() {
        case .enqueue:
            self.waitingWrites.append(WaitingWrite(data: self.unwrapOutboundIn(data), promise: promise))
        case .fail:
            promise?.fail(ChannelError.ioOnClosedChannel)
        }
    }

    public func flush(context: ChannelHandlerContext) {
        self.waitingWrites.mark()
        self.flushWaitingWrites(context: context)
    }

    public func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        switch mode {
        case .all:
            break
        case .input:
            context.close(mode: mode, promise: promise)
            return
        case .output:
            // A TLS half-close would need close_notify and then a TCP half-close; nothing above us needs it.
            promise?.fail(ChannelError.operationUnsupported)
            return
        }
        switch self.stateMachine.closeRequested() {
        case .closeNow:
            self.failWaitingWrites(with: ChannelError.ioOnClosedChannel)
            context.close(mode: mode, promise: promise)
        case .sendCloseNotifyThenClose:
            self.failWaitingWrites(with: ChannelError.ioOnClosedChannel)
            _ = self.connection?.shutdown()
            self.sendOutputThenClose(context: context, promise: promise)
        case .forward:
            context.close(mode: mode, promise: promise)
        }
    }

    // MARK: - Steps

    private func activate(context: ChannelHandlerContext) {
        switch self.stateMachine.channelActive() {
        case .startHandshake:
            guard let connection = self.connection else {
                self.fail(context: context, error: self.setupError ?? .handshakeFailed(reason: "no TLS connection"))
                return
            }
            self.advanceHandshake(context: context, connection: connection)
            context.read()
        case .none:
            break
        }
    }

    private func advanceHandshake(context: ChannelHandlerContext, connection: TLSConnection) {
        let result = connection.handshake()
        // Handshake messages only: application data is not encrypted before the handshake completes.
        self.sendOutput(context: context, connection: connection)
        switch result {
        case .incomplete:
            break
        case .complete:
            self.stateMachine.handshakeCompleted()
            context.fireUserInboundEventTriggered(TLSHandshakeCompleted(session: connection.sessionInfo))
            self.flushWaitingWrites(context: context)
            // The server's first application data may have come in the same read as its Finished message.
            if self.stateMachine.channelRead() == .readApplicationData {
                self.readApplicationData(context: context, connection: connection)
            }
        case .failed(let error):
            self.fail(context: context, error: error)
        }
    }

    private func readApplicationData(context: ChannelHandlerContext, connection: TLSConnection) {
        var plaintext = self.readBuffer(context: context, connection: connection)
        while true {
            let result = connection.read(into: &plaintext)
            switch result {
            case .complete(.bytes):
                guard plaintext.writableBytes == 0 else {
                    continue
                }
                context.fireChannelRead(self.wrapInboundOut(plaintext))
                guard self.stateMachine.channelRead() == .readApplicationData else {
                    return
                }
                plaintext = self.readBuffer(context: context, connection: connection)
            case .complete(.closeNotify):
                self.deliver(plaintext, context: context)
                self.peerClosed(context: context, connection: connection)
                return
            case .incomplete:
                self.deliver(plaintext, context: context)
                // OpenSSL may have answered something on its own, such as a TLS 1.3 key update.
                self.sendOutput(context: context, connection: connection)
                return
            case .failed(let error):
                // Records decrypted before the failure were authenticated: pass them on first.
                self.deliver(plaintext, context: context)
                self.fail(context: context, error: error)
                return
            }
        }
    }

    private func deliver(_ plaintext: ByteBuffer, context: ChannelHandlerContext) {
        if plaintext.readableBytes > 0 {
            context.fireChannelRead(self.wrapInboundOut(plaintext))
        }
    }

    private func readBuffer(context: ChannelHandlerContext, connection: TLSConnection) -> ByteBuffer {
        let size = min(max(connection.bufferedCiphertextCount, Self.minimumReadSize), Self.maximumReadSize)
        return context.channel.allocator.buffer(capacity: size)
    }

    /// Encrypts every flushed write into one buffer and sends it with one write and one flush.
    private func flushWaitingWrites(context: ChannelHandlerContext) {
        guard self.waitingWrites.hasMark, let connection = self.connection else {
            return
        }
        switch self.stateMachine.flush() {
        case .encrypt:
            break
        case .wait, .none:
            return
        }
        var flushedBytes = 0
        for write in self.waitingWrites.prefix(through: self.waitingWrites.markedElementIndex!) {
            flushedBytes += write.data.readableBytes
        }
        // TLS adds at most a few dozen bytes to each record of 16 KiB (RFC 8446 section 5.2).
        connection.reserveOutput(flushedBytes + flushedBytes / 256 + 64)
        let outputBeforeFlush = connection.pendingOutputCount
        var promises: [EventLoopPromise<Void>] = []
        while self.waitingWrites.hasMark, let write = self.waitingWrites.first {
            if write.data.readableBytes > 0 {
                switch connection.write(write.data) {
                case .complete:
                    break
                case .incomplete:
                    // A TLS 1.2 server asked to renegotiate: OpenSSL encrypts nothing until it has read the
                    // server's answer. This write and the ones after it stay queued, and the same bytes are
                    // written again after the next read, as SSL_write(3) requires; what is encrypted goes now.
                    self.stateMachine.encryptionNeedsRead()
                    self.send(connection.takeOutput(), completing: promises, context: context)
                    context.read()
                    return
                case .failed(let error):
                    // Nothing of a failed flush is sent: the bytes before the failure would be a torn message.
                    // An alert OpenSSL queued for the failure goes with them; the channel is closed all the
                    // same, and this write's promise fails with the ones still waiting.
                    connection.discardOutput(keeping: outputBeforeFlush)
                    for promise in promises {
                        promise.fail(error)
                    }
                    self.fail(context: context, error: error)
                    return
                }
            }
            _ = self.waitingWrites.removeFirst()
            if let promise = write.promise {
                promises.append(promise)
            }
        }
        self.send(connection.takeOutput(), completing: promises, context: context)
    }

    private func send(
        _ ciphertext: ByteBuffer?,
        completing promises: [EventLoopPromise<Void>],
        context: ChannelHandlerContext
    ) {
        guard let ciphertext, ciphertext.readableBytes > 0 else {
            // Only empty writes were flushed: they are done.
            for promise in promises {
                promise.succeed()
            }
            return
        }
        var writePromise: EventLoopPromise<Void>? = nil
        switch promises.count {
        case 0:
            break
        case 1:
            writePromise = promises[0]
        default:
            let combined = context.eventLoop.makePromise(of: Void.self)
            combined.futureResult.assumeIsolated().whenComplete { result in
                for promise in promises {
                    promise.completeWith(result)
                }
            }
            writePromise = combined
        }
        context.write(self.wrapOutboundOut(ciphertext), promise: writePromise)
        context.flush()
    }

    /// Sends what OpenSSL queued for the socket: handshake messages, alerts, `close_notify`.
    private func sendOutput(context: ChannelHandlerContext, connection: TLSConnection) {
        guard let output = connection.takeOutput() else {
            return
        }
        context.writeAndFlush(self.wrapOutboundOut(output), promise: nil)
    }

    /// Sends OpenSSL's queued output (our `close_notify`) and closes the channel once it is written.
    private func sendOutputThenClose(context: ChannelHandlerContext, promise: EventLoopPromise<Void>?) {
        let output = self.connection?.takeOutput() ?? context.channel.allocator.buffer(capacity: 0)
        context.writeAndFlush(self.wrapOutboundOut(output)).assumeIsolated().whenComplete { _ in
            context.close(mode: .all, promise: promise)
        }
    }

    private func peerClosed(context: ChannelHandlerContext, connection: TLSConnection) {
        switch self.stateMachine.peerClosed() {
        case .replyThenClose:
            self.failWaitingWrites(with: ChannelError.ioOnClosedChannel)
            _ = connection.shutdown()
            self.sendOutputThenClose(context: context, promise: nil)
        case .none:
            break
        }
    }

    private func fail(context: ChannelHandlerContext, error: TLSError) {
        switch self.stateMachine.failed() {
        case .reportAndClose:
            // OpenSSL's alert tells the server why; it is never application data.
            if let connection = self.connection {
                self.sendOutput(context: context, connection: connection)
            }
            self.failWaitingWrites(with: error)
            context.fireErrorCaught(error)
            context.close(promise: nil)
        case .none:
            break
        }
    }

    private func failWaitingWrites(with error: any Error) {
        while let write = self.waitingWrites.popFirst() {
            write.promise?.fail(error)
        }
    }
}

@available(*, unavailable)
extension TLSClientHandler: Sendable {}

/// The user inbound event `TLSClientHandler` fires once its handshake completes.
///
/// Handlers further up the pipeline (the connector, for a verbose report) learn from it what was negotiated. It fires
/// before the writes that waited for the handshake are encrypted and sent, so a log line printed on it comes
/// before anything the request provokes. With TLS 1.3 the server judges our certificate after this point: a
/// refused client certificate arrives as an error after the event.
public struct TLSHandshakeCompleted: Sendable, Equatable {
    /// What the handshake agreed on.
    public var session: TLSSessionInfo

    /// Creates the event for `session`.
    public init(session: TLSSessionInfo) {
        self.session = session
    }
}
