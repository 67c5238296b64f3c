import NIOCore
import NIOHPACK
import NIOHTTP2

/// The opening handshake on an HTTP/2 stream (RFC 8441 section 4): sends the extended CONNECT as soon as the
/// stream is active, reads the answer with ``ExtendedConnect``, and on a 2xx puts ``HTTP2StreamBridge`` and
/// the session behind itself and leaves the pipeline, so that every DATA frame after the answer reaches the
/// session as bytes.
final class ExtendedConnectHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTP2Frame.FramePayload
    typealias OutboundOut = HTTP2Frame.FramePayload

    private let connect: ExtendedConnect
    private let settings: [HTTP2SettingValue]
    private let promise: EventLoopPromise<UpgradeOutcome>
    private var requestSent = false

    /// Sends `connect`'s request; the server's `settings` go into the handshake's record, and the outcome
    /// completes `promise`.
    init(connect: ExtendedConnect, settings: [HTTP2SettingValue], promise: EventLoopPromise<UpgradeOutcome>) {
        self.connect = connect
        self.settings = settings
        self.promise = promise
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive {
            self.sendRequest(context: context)
        }
    }

    func channelActive(context: ChannelHandlerContext) {
        self.sendRequest(context: context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.unwrapInboundIn(data) {
        case .headers(let headers):
            do {
                let fields = headers.headers.map { HeaderField(name: $0.name, value: $0.value) }
                switch try self.connect.check(response: fields) {
                case .interim:
                    break
                case .accepted(var handshake):
                    handshake.http2Settings = self.settings
                    try context.pipeline.syncOperations.addHandler(
                        HTTP2StreamBridge(closeTimeout: TimeAmount(self.connect.configuration.session.closeTimeout))
                    )
                    let session = try WebSocketSessionHandler.install(
                        on: context.channel,
                        configuration: self.connect.configuration.session,
                        compression: handshake.compression
                    )
                    self.promise.succeed(.upgraded(session, handshake))
                    context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
                case .refused(let refusal):
                    self.promise.succeed(.rejected(refusal))
                    context.close(promise: nil)
                }
            } catch {
                self.promise.fail(error)
                context.close(promise: nil)
            }
        case .data:
            self.promise.fail(HTTP2Failure.unexpectedFrame("DATA before the answer to the extended CONNECT"))
            context.close(promise: nil)
        case .priority, .rstStream, .settings, .pushPromise, .ping, .goAway, .windowUpdate, .alternativeService,
            .origin:
            break
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let closed = error as? NIOHTTP2Errors.StreamClosed {
            self.promise.fail(HTTP2Failure.reset(closed.errorCode))
        } else {
            self.promise.fail(error)
        }
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.promise.fail(HTTP2ConnectionHandler.goAway(endingStream: context.channel) ?? ChannelError.eof)
        context.fireChannelInactive()
    }

    private func sendRequest(context: ChannelHandlerContext) {
        guard !self.requestSent else { return }
        self.requestSent = true
        let headers = HPACKHeaders(self.connect.request.map { ($0.name, $0.value) })
        let payload = HTTP2Frame.FramePayload.headers(.init(headers: headers, endStream: false))
        context.writeAndFlush(Self.wrapOutboundOut(payload), promise: nil)
    }
}

@available(*, unavailable)
extension ExtendedConnectHandler: Sendable {}
