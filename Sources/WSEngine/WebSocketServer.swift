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

    /// The server's handshake handler, whose 101 starts a session; the returned future says what became of
    /// the connection, and never fails, so one bad client cannot end the accept loop.
    private static func installUpgrade(
        on channel: any Channel,
        configuration: ServerConfiguration
    ) throws -> EventLoopFuture<IncomingConnection> {
        let peer = channel.remoteAddress.map(WebSocketListener.describe) ?? "unknown peer"
        let maxFrameSize = min(
            MessageAssembler.compressedSizeLimit(forMessageSize: configuration.maxMessageSize),
            Int(UInt32.max)
        )
        let handler = ServerHandshakeHandler(peer: peer, timeout: TimeAmount(configuration.handshakeTimeout)) {
            request in
            let handshake = ServerHandshake(request: request, configuration: configuration)
            return (
                handshake.responseHeaders,
                { channel in
                    try channel.pipeline.syncOperations.addHandler(
                        ByteToMessageHandler(FrameDecoder(maxFrameSize: maxFrameSize, role: .server))
                    )
                    let session = try WebSocketSessionHandler.install(
                        on: channel,
                        role: .server,
                        maxMessageSize: configuration.maxMessageSize,
                        closeTimeout: configuration.closeTimeout,
                        compression: handshake.compression,
                        keepalive: configuration.keepalive
                    )
                    return .session(
                        WebSocketConnection(handshake: handshake.info(request: request), session: session),
                        peer: peer
                    )
                }
            )
        }
        try channel.pipeline.syncOperations.addHandler(handler)
        return handler.outcome
    }
}
