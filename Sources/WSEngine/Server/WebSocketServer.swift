import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// Accepts WebSocket connections as a server: TCP, the server side of the HTTP/1.1 upgrade (RFC 6455
/// section 4.2), then a session run by the same state machine as a client's, in the server role.
public enum WebSocketServer {
    /// Binds `configuration.host:port`. Throws a connection error the runner reports when the address is in
    /// use, not ours, or does not resolve.
    public static func listen(
        _ configuration: ServerConfiguration,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws(WebSocketClientError) -> WebSocketListener {
        let pending = PendingHandshakes()
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(DescriptorShortageHandler(pending: pending))
                }
            }
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
        let sharedBudget = SharedInboundBudget(limit: configuration.inboundMemoryLimit)
        do {
            let channel = try await bootstrap.bind(host: configuration.host, port: configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let peer = channel.remoteAddress.map(WebSocketListener.describe) ?? "unknown peer"
                    if case .refused(let firstOfBurst) = pending.admit(channel, limit: configuration.maxClients) {
                        Self.answerServiceUnavailable(on: channel)
                        let reason =
                            "\(configuration.maxClients) connections are open, the most allowed; new ones are "
                            + "answered 503 until one closes (not reported one by one)"
                        let report: IncomingConnection? =
                            firstOfBurst ? .refused(peer: peer, reason: reason) : nil
                        return channel.eventLoop.makeSucceededFuture(report)
                    }
                    let handshake = try Self.installUpgrade(
                        on: channel,
                        configuration: configuration,
                        sharedBudget: sharedBudget
                    )
                    pending.track(channel, until: handshake)
                    return handshake.map { $0 }
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

    /// Answers a connection there is no room for with 503 and `Retry-After`, then closes it: its own side
    /// first, so that a request already received (and never read) does not turn the close into a reset that
    /// loses the answer; the client's end, or 5 seconds, closes the rest.
    private static func answerServiceUnavailable(on channel: any Channel) {
        let body = "Too many connections; try again later.\n"
        let response =
            "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Type: text/plain; charset=utf-8\r\n"
            + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n" + body
        channel.writeAndFlush(ByteBuffer(string: response)).whenComplete { _ in
            channel.close(mode: .output, promise: nil)
            channel.eventLoop.scheduleTask(in: .seconds(5)) { channel.close(promise: nil) }
        }
    }

    /// The server's handshake handler, whose 101 starts a session; the returned future says what became of
    /// the connection, and never fails, so one bad client cannot end the accept loop.
    private static func installUpgrade(
        on channel: any Channel,
        configuration: ServerConfiguration,
        sharedBudget: SharedInboundBudget
    ) throws -> EventLoopFuture<IncomingConnection> {
        let peer = channel.remoteAddress.map(WebSocketListener.describe) ?? "unknown peer"
        let handler = ServerHandshakeHandler(peer: peer, timeout: TimeAmount(configuration.handshakeTimeout)) {
            request in
            let handshake = ServerHandshake(request: request, configuration: configuration)
            return (
                handshake.responseHeaders,
                { channel in
                    let session = try WebSocketSessionHandler.install(
                        on: channel,
                        configuration: configuration.session,
                        compression: handshake.compression,
                        sharedBudget: sharedBudget
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
