import NIOCore
import NIOHTTP2
import WSTLS

/// The connection's part of a WebSocket over HTTP/2: behind NIO's `NIOHTTP2Handler`, it sees TLS's report
/// and the frames of the connection itself (SETTINGS, GOAWAY), and does what ``HTTP2OpeningStateMachine``
/// decides: once the server allows extended CONNECT, it opens the stream that ``ExtendedConnectHandler``
/// runs; otherwise it fails the opening and closes the connection. It keeps the server's GOAWAY, which the
/// stream's end names, and closes the connection when the stream is over.
final class HTTP2ConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = HTTP2Frame

    private var machine: HTTP2OpeningStateMachine
    private let configuration: ClientConfiguration
    private let multiplexer: NIOHTTP2Handler.StreamMultiplexer
    private let promise: EventLoopPromise<UpgradeOutcome>
    private var settings: [HTTP2SettingValue] = []
    /// The GOAWAY the server sent, if it sent one.
    private(set) var goAway: HTTP2Failure?

    /// The GOAWAY the server sent on the connection of `stream`, a stream channel, if it sent one: the cause
    /// of the stream's end when the stream itself was not ended or reset.
    static func goAway(endingStream stream: any Channel) -> HTTP2Failure? {
        let handler = try? stream.parent?.pipeline.syncOperations.handler(type: HTTP2ConnectionHandler.self)
        return handler?.goAway
    }

    /// Opens a WebSocket for `configuration` on a stream of `multiplexer`'s connection; how that ends
    /// completes `promise`.
    init(
        configuration: ClientConfiguration,
        multiplexer: NIOHTTP2Handler.StreamMultiplexer,
        promise: EventLoopPromise<UpgradeOutcome>
    ) {
        self.machine = HTTP2OpeningStateMachine(secure: configuration.url.isSecure)
        self.configuration = configuration
        self.multiplexer = multiplexer
        self.promise = promise
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.promise.futureResult.assumeIsolated().whenSuccess { outcome in
            if case .upgraded = outcome {
                self.machine.streamOpened()
            }
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let completed = event as? TLSHandshakeCompleted {
            self.perform(self.machine.tlsCompleted(applicationProtocol: completed.session.applicationProtocol), context)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.unwrapInboundIn(data).payload {
        case .settings(.settings(let settings)):
            if self.machine.state == .awaitingSettings {
                self.settings = settings.map { HTTP2SettingValue(name: Self.name(of: $0.parameter), value: $0.value) }
            }
            self.perform(self.machine.settingsReceived(settings), context)
        case .goAway(_, let code, let opaqueData):
            let debug = opaqueData.map { String(decoding: $0.readableBytesView.prefix(200), as: UTF8.self) } ?? ""
            let failure = HTTP2Failure.goAway(code, debug: debug)
            self.goAway = self.goAway ?? failure
            self.perform(self.machine.goAwayReceived(failure), context)
        case .data, .headers, .priority, .rstStream, .settings(.ack), .pushPromise, .ping, .windowUpdate,
            .alternativeService, .origin:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.perform(self.machine.connectionEnded(), context)
        // Whatever else ended the connection first: the connector explains it (TLS, the proxy, a timeout).
        self.promise.fail(ChannelError.eof)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.promise.fail(error)
        context.close(promise: nil)
    }

    private func perform(_ action: HTTP2OpeningStateMachine.Action, _ context: ChannelHandlerContext) {
        switch action {
        case .none:
            break
        case .fail(let failure):
            self.promise.fail(failure)
            context.close(promise: nil)
        case .openStream:
            let connect = ExtendedConnect(configuration: self.configuration)
            let settings = self.settings
            let promise = self.promise
            let connection = context.channel
            self.multiplexer.createStreamChannel(promise: nil) { stream in
                stream.closeFuture.whenComplete { _ in Self.closeConnection(connection) }
                return stream.eventLoop.makeCompletedFuture {
                    try stream.pipeline.syncOperations.addHandler(
                        ExtendedConnectHandler(connect: connect, settings: settings, promise: promise)
                    )
                }
            }
        }
    }

    /// Closes the connection once the stream is over: a GOAWAY first (RFC 9113 section 6.8), whose write
    /// completes only after everything written before it, such as our END_STREAM, has left.
    private static func closeConnection(_ connection: any Channel) {
        let goAway = HTTP2Frame(
            streamID: .rootStream,
            payload: .goAway(lastStreamID: .rootStream, errorCode: .noError, opaqueData: nil)
        )
        connection.writeAndFlush(goAway).whenComplete { _ in connection.close(promise: nil) }
    }

    /// Settings by their names in RFC 9113 section 6.5.2, RFC 8441 section 3 and RFC 9218 section 2.1.
    private static let names: [(HTTP2SettingsParameter, String)] = [
        (.headerTableSize, "SETTINGS_HEADER_TABLE_SIZE"),
        (.enablePush, "SETTINGS_ENABLE_PUSH"),
        (.maxConcurrentStreams, "SETTINGS_MAX_CONCURRENT_STREAMS"),
        (.initialWindowSize, "SETTINGS_INITIAL_WINDOW_SIZE"),
        (.maxFrameSize, "SETTINGS_MAX_FRAME_SIZE"),
        (.maxHeaderListSize, "SETTINGS_MAX_HEADER_LIST_SIZE"),
        (.enableConnectProtocol, "SETTINGS_ENABLE_CONNECT_PROTOCOL"),
        (HTTP2SettingsParameter(extensionSetting: 9), "SETTINGS_NO_RFC7540_PRIORITIES"),
    ]

    private static func name(of parameter: HTTP2SettingsParameter) -> String {
        Self.names.first { $0.0 == parameter }?.1 ?? "an unknown setting"
    }
}

@available(*, unavailable)
extension HTTP2ConnectionHandler: Sendable {}
