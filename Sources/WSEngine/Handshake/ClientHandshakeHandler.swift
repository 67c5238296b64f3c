import NIOCore
import NIOHTTP1
import NIOWebSocket

/// The client's opening handshake on the wire (RFC 6455 section 4.1): sends the upgrade request once the
/// channel (and any proxy tunnel or TLS below it) is active, reads the answer with
/// ``ClientHandshakeStateMachine``, and on a 101 installs the session after itself, passes it every byte
/// that came behind the response, and leaves the pipeline, all within the read that completed the head.
/// So frames that arrive with the 101, and the end of the stream right after them, reach the session.
///
/// NIO's upgrader is kept for what it does well, the key and the `Sec-WebSocket-Accept` check; NIO's
/// upgrade handler is not, because its HTTP decoder drops the bytes behind a 101 when the connection ends
/// before the pipeline has changed.
final class ClientHandshakeHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Checks a 101 and installs the session on the channel, at the end of the pipeline; gets the request
    /// as sent and the response.
    typealias InstallSession = (any Channel, HTTPRequestHead, HTTPResponseHead) throws -> UpgradeOutcome

    private var machine = ClientHandshakeStateMachine()
    private let request: HTTPRequestHead
    private let keyAndAccept: NIOTypedWebSocketClientUpgrader<Void>
    private let installSession: InstallSession
    private var promise: EventLoopPromise<UpgradeOutcome>?
    private var requestSent = false
    /// How the handshake ended; set when the handler joins a pipeline.
    private(set) var outcome: EventLoopFuture<UpgradeOutcome>!

    /// A handshake sending `request` with the upgrade fields added (`Connection`, `Upgrade`,
    /// `Sec-WebSocket-Key` with `key`, `Sec-WebSocket-Version`).
    init(
        request: HTTPRequestHead,
        key: String = NIOWebSocketClientUpgrader.randomRequestKey(),
        installSession: @escaping InstallSession
    ) {
        self.keyAndAccept = NIOTypedWebSocketClientUpgrader<Void>(
            requestKey: key,
            upgradePipelineHandler: { channel, _ in channel.eventLoop.makeSucceededVoidFuture() }
        )
        var request = request
        request.headers.add(name: "Connection", value: "upgrade")
        request.headers.add(name: "Upgrade", value: self.keyAndAccept.supportedProtocol)
        self.keyAndAccept.addCustom(upgradeRequestHeaders: &request.headers)
        self.request = request
        self.installSession = installSession
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let promise = context.eventLoop.makePromise(of: UpgradeOutcome.self)
        self.promise = promise
        self.outcome = promise.futureResult
        if context.channel.isActive {
            self.sendRequest(context: context)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.promise?.fail(ChannelError.eof)
        self.promise = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        self.sendRequest(context: context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.perform(self.machine.received(self.unwrapInboundIn(data)), context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.perform(self.machine.inputEnded(), context: context)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A failure below (TLS, the proxy tunnel, a reset) ends the handshake; the caller explains it.
        self.finish(.failure(error))
        context.close(promise: nil)
    }

    private func sendRequest(context: ChannelHandlerContext) {
        guard !self.requestSent else { return }
        self.requestSent = true
        var bytes = context.channel.allocator.buffer(capacity: 512)
        bytes.writeString("\(self.request.method.rawValue) \(self.request.uri) HTTP/1.1\r\n")
        for (name, value) in self.request.headers {
            bytes.writeString("\(name): \(value)\r\n")
        }
        bytes.writeString("\r\n")
        context.writeAndFlush(Self.wrapOutboundOut(bytes), promise: nil)
    }

    private func perform(_ action: ClientHandshakeStateMachine.Action, context: ChannelHandlerContext) {
        switch action {
        case .none:
            break
        case .upgrade(let response, let leftover):
            do {
                try self.checkSwitch(response)
                self.finish(.success(try self.installSession(context.channel, self.request, response)))
            } catch {
                self.finish(.failure(error))
                context.close(promise: nil)
                return
            }
            self.handOver(leftover, context: context)
        case .refuse(let response, let body):
            self.finish(
                .success(
                    .rejected(
                        Refusal(
                            statusLine: HandshakeValidation.statusLine(response),
                            status: Int(response.status.code),
                            details: HandshakeValidation.fields(response.headers).map { "\($0.name): \($0.value)" }
                                + (body.isEmpty ? [] : ["", body]),
                            location: HandshakeValidation.redirectLocation(response),
                            retryAfter: HandshakeValidation.retryAfter(response)
                        )
                    )
                )
            )
            context.close(promise: nil)
        case .fail(.closedBeforeResponse):
            self.finish(.failure(ChannelError.eof))
            context.close(promise: nil)
        case .fail(.malformedResponse(let reason)):
            self.finish(
                .failure(
                    WebSocketClientError.handshakeRejected(
                        "server's answer to the upgrade request is not valid HTTP: \(reason)"
                    )
                )
            )
            context.close(promise: nil)
        }
    }

    /// What NIO's upgrade handler and upgrader check of a 101: the protocol switched to, and the accept key.
    private func checkSwitch(_ response: HTTPResponseHead) throws(WebSocketClientError) {
        let upgrade = response.headers[canonicalForm: "Upgrade"].map { $0.lowercased() }
        guard upgrade.contains(self.keyAndAccept.supportedProtocol) else {
            throw .handshakeRejected("server answered 101 but did not upgrade to 'websocket'")
        }
        guard self.keyAndAccept.shouldAllowUpgrade(upgradeResponse: response) else {
            throw .handshakeRejected(
                "server's Sec-WebSocket-Accept does not match the key wsc sent: is it a WebSocket server?"
            )
        }
    }

    private func finish(_ result: Result<UpgradeOutcome, any Error>) {
        self.promise?.completeWith(result)
        self.promise = nil
    }
}

@available(*, unavailable)
extension ClientHandshakeHandler: Sendable {}
