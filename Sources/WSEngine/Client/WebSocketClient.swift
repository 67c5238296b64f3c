import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// Opens client connections: TCP, TLS for `wss://`, the HTTP/1.1 upgrade (RFC 6455 section 4.1) or an
/// extended CONNECT on an HTTP/2 stream (RFC 8441), then a session.
public enum WebSocketClient {
    /// Connects and completes the opening handshake (TLS included) within `configuration.connectTimeout`.
    public static func connect(
        _ configuration: ClientConfiguration,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws(WebSocketClientError) -> WebSocketConnection {
        let url = configuration.url
        // Built before connecting: a context that cannot be made is reported without touching the network.
        let tls =
            url.isSecure
            ? try TLSLayer(context: configuration.tls, applicationProtocols: configuration.applicationProtocols) : nil
        let proxy = configuration.proxy.map { ProxyLayer(proxy: $0, url: url) }
        // With a proxy, TCP goes to the proxy, and the server's name is the proxy's to resolve.
        let (connectHost, connectPort) = configuration.proxy.map { ($0.host, $0.port) } ?? (url.host, url.port)
        let deadline = NIODeadline.now() + TimeAmount(configuration.connectTimeout)
        let timedOut = NIOLockedValueBox(false)
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(TimeAmount(configuration.connectTimeout))
            // Start reads at 16 KiB rather than NIO's 2 KiB: a burst of small messages needs fewer reads.
            .channelOption(
                .recvAllocator,
                value: AdaptiveRecvByteBufferAllocator(minimum: 1024, initial: 16384, maximum: 1 << 16)
            )
        do {
            let initializer: @Sendable (any Channel) -> EventLoopFuture<EventLoopFuture<UpgradeOutcome>> = { channel in
                channel.eventLoop.makeCompletedFuture {
                    try proxy?.install(on: channel)
                    try tls?.install(on: channel, host: url.host)
                    let upgrade = try UpgradePipeline(configuration: configuration).install(on: channel)
                    let timer = channel.eventLoop.scheduleTask(deadline: deadline) {
                        timedOut.withLockedValue { $0 = true }
                        channel.close(promise: nil)
                    }
                    upgrade.whenComplete { _ in timer.cancel() }
                    return upgrade
                }
            }
            let started = ContinuousClock.now
            // An IP address needs no resolver: skipping it saves a thread and the resolver's start-up,
            // which is most of what a one-message run waits for before connecting.
            let upgrade =
                if let path = configuration.unixSocket {
                    try await bootstrap.connect(unixDomainSocketPath: path, channelInitializer: initializer)
                } else if let address = try? SocketAddress(ipAddress: connectHost, port: connectPort) {
                    try await bootstrap.connect(to: address, channelInitializer: initializer)
                } else {
                    try await bootstrap.connect(host: connectHost, port: connectPort, channelInitializer: initializer)
                }
            let connected = ContinuousClock.now
            switch try await upgrade.get() {
            case .upgraded(let session, var handshake):
                handshake.tls = tls?.summary
                // The TLS handshake may end before this task sees the connection up: no step is negative.
                let secured = tls?.completed.map { max($0, connected) }
                handshake.timing = ConnectTiming(
                    connect: connected - started,
                    tls: secured.map { $0 - connected },
                    upgrade: ContinuousClock.now - (secured ?? connected)
                )
                return WebSocketConnection(handshake: handshake, session: session)
            case .rejected(let refusal):
                throw WebSocketClientError(refusal)
            }
        } catch let error as WebSocketClientError {
            throw error
        } catch {
            if timedOut.withLockedValue({ $0 }) {
                let stage = tls != nil && tls?.summary == nil ? "the TLS handshake" : "the handshake"
                let route = configuration.proxy.map { " through the proxy \($0)" } ?? ""
                throw .connectionFailed(
                    "timed out after \(configuration.connectTimeout) waiting for \(url.hostHeader) to complete \(stage)"
                        + route,
                    limit: .connectTimeout
                )
            }
            // The proxy's or TLS's failure, not the closed connection it leaves behind, is what the user must hear.
            if let proxyError = error as? ProxyError {
                throw .connectionFailed(proxyError.description)
            }
            if let http2Failure = error as? HTTP2Failure {
                throw .handshakeRejected(http2Failure.description)
            }
            if let tlsError = tls?.failure(explaining: error) {
                throw .tls(tlsError)
            }
            throw ConnectErrorTranslation.translate(error, configuration: configuration)
        }
    }
}
