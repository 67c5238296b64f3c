import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// Opens client connections: TCP, the HTTP/1.1 upgrade (RFC 6455 section 4.1), then a session.
public enum WebSocketClient {
    /// Connects and completes the opening handshake within `configuration.connectTimeout`.
    public static func connect(
        _ configuration: ClientConfiguration,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws(WebSocketClientError) -> WebSocketConnection {
        let url = configuration.url
        let deadline = NIODeadline.now() + TimeAmount(configuration.connectTimeout)
        let timedOut = NIOLockedValueBox(false)
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(TimeAmount(configuration.connectTimeout))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
        do {
            let upgrade = try await bootstrap.connect(host: url.host, port: url.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let upgrade = try UpgradePipeline(configuration: configuration).install(on: channel)
                    let timer = channel.eventLoop.scheduleTask(deadline: deadline) {
                        timedOut.withLockedValue { $0 = true }
                        channel.close(promise: nil)
                    }
                    upgrade.whenComplete { _ in timer.cancel() }
                    return upgrade
                }
            }
            switch try await upgrade.get() {
            case .upgraded(let channel, let handshake):
                return WebSocketConnection(handshake: handshake, channel: channel)
            case .rejected(let status, let details):
                throw WebSocketClientError.handshakeRejected("server refused the upgrade: \(status)", details: details)
            }
        } catch let error as WebSocketClientError {
            throw error
        } catch {
            if timedOut.withLockedValue({ $0 }) {
                throw .connectionFailed(
                    "timed out after \(configuration.connectTimeout) waiting for \(url.hostHeader) to complete the handshake (--connect-timeout)"
                )
            }
            throw ConnectErrorTranslation.translate(error, url: url, timeout: configuration.connectTimeout)
        }
    }
}
