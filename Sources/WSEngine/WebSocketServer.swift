import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// Accepts WebSocket connections (`--listen`): TCP, the server side of the HTTP/1.1 upgrade (RFC 6455
/// section 4.2), then a session run by the same state machine as a client's, in the server role.
public enum WebSocketServer {
    /// Binds `configuration.host:port`. Throws a connection error the runner reports when the address is in
    /// use, not ours, or does not resolve.
    public static func listen(
        _ configuration: ServerConfiguration,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws(WebSocketClientError) -> WebSocketListener {
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
        let pending = PendingHandshakes()
        do {
            let channel = try await bootstrap.bind(host: configuration.host, port: configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handshake = try Self.installUpgrade(on: channel, configuration: configuration)
                    pending.track(channel, until: handshake)
                    let timer = channel.eventLoop.scheduleTask(in: TimeAmount(configuration.handshakeTimeout)) {
                        channel.close(promise: nil)
                    }
                    handshake.whenComplete { _ in timer.cancel() }
                    return handshake
                }
            }
            return WebSocketListener(channel: channel, pendingHandshakes: pending)
        } catch {
            let target = URLAuthority.bracketed(configuration.host)
            let reason =
                switch error {
                case let error as IOError: ConnectErrorTranslation.systemMessage(error.errnoCode)
                case is SocketAddressError: "no such host or address"
                default: "\(error)"
                }
            throw .connectionFailed("could not listen on \(target):\(configuration.port): \(reason)")
        }
    }

    /// The HTTP server pipeline with NIO's typed upgrader; the returned future says what became of the
    /// connection, and never fails, so one bad client cannot end the accept loop.
    private static func installUpgrade(
        on channel: any Channel,
        configuration: ServerConfiguration
    ) throws -> EventLoopFuture<IncomingConnection> {
        let peer = channel.remoteAddress.map(WebSocketListener.describe) ?? "unknown peer"
        let maxFrameSize = MessageAssembler.compressedSizeLimit(forMessageSize: configuration.maxMessageSize)
        let upgrader = WebSocketServerUpgrader(
            maxFrameSize: min(maxFrameSize, Int(UInt32.max)),
            responseHeaders: { request in
                ServerHandshake(request: request, configuration: configuration).responseHeaders
            },
            installSession: { channel, request in
                let handshake = ServerHandshake(request: request, configuration: configuration)
                let session = try WebSocketSessionHandler.install(
                    on: channel,
                    role: .server,
                    maxMessageSize: configuration.maxMessageSize,
                    closeTimeout: configuration.closeTimeout,
                    compression: handshake.compression,
                    keepalive: configuration.keepalive
                )
                return .session(
                    WebSocketConnection(handshake: handshake.info(request: request), channel: session),
                    peer: peer
                )
            }
        )
        let upgrade = try channel.pipeline.syncOperations.configureUpgradableHTTPServerPipeline(
            configuration: NIOUpgradableHTTPServerPipelineConfiguration(
                upgradeConfiguration: NIOTypedHTTPServerUpgradeConfiguration(
                    upgraders: [upgrader],
                    notUpgradingCompletionHandler: { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(UpgradeRequiredResponder())
                            return .refused(peer: peer, reason: "not a WebSocket upgrade request; answered 426")
                        }
                    }
                )
            )
        )
        return upgrade.recover { error in
            .refused(peer: peer, reason: "the opening handshake failed: \(error)")
        }
    }
}
