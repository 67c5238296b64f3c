import NIOCore
import NIOHTTP1
import NIOHTTP2
import NIOWebSocket

/// Installs the client's opening handshake on a channel. Over HTTP/1.1, one handler that sends the upgrade
/// request, reads the answer, and on a 101 puts the frame decoder and the session in its own place. Over
/// HTTP/2 (RFC 8441), NIO's HTTP/2 handler and ``HTTP2ConnectionHandler``, which opens the stream that
/// carries the session.
struct UpgradePipeline {
    let configuration: ClientConfiguration

    /// Adds the handshake's handlers to `channel` and returns the future outcome of the upgrade.
    func install(on channel: any Channel) throws -> EventLoopFuture<UpgradeOutcome> {
        switch self.configuration.handshakeProtocol {
        case .http1:
            try self.installUpgrade(on: channel)
        case .http2:
            try self.installHTTP2(on: channel)
        }
    }

    private func installUpgrade(on channel: any Channel) throws -> EventLoopFuture<UpgradeOutcome> {
        let configuration = self.configuration
        let handler = ClientHandshakeHandler(request: HandshakeRequest.head(for: configuration)) {
            channel,
            request,
            response in
            let handshake = try HandshakeValidation.check(
                request: request,
                response: response,
                offeredSubprotocols: configuration.subprotocols,
                offeredCompression: configuration.sentCompressionOffer
            )
            let session = try WebSocketSessionHandler.install(
                on: channel,
                configuration: configuration.session,
                compression: handshake.compression
            )
            return .upgraded(session, handshake)
        }
        try channel.pipeline.syncOperations.addHandler(handler)
        return handler.outcome
    }

    /// Windows of 1 MiB for the stream and 4 MiB for the connection, rather than HTTP/2's 64 KiB: a server
    /// sending large messages is not held to one window a round trip. The session's own budget still bounds
    /// what is read; a stream not read is not given more window.
    private func installHTTP2(on channel: any Channel) throws -> EventLoopFuture<UpgradeOutcome> {
        var connection = NIOHTTP2Handler.ConnectionConfiguration()
        connection.initialSettings = [
            HTTP2Setting(parameter: .enablePush, value: 0),
            HTTP2Setting(parameter: .maxConcurrentStreams, value: 1),
            HTTP2Setting(parameter: .initialWindowSize, value: 1 << 20),
            HTTP2Setting(parameter: .maxHeaderListSize, value: 1 << 16),
        ]
        connection.targetWindowSize = 4 << 20
        var stream = NIOHTTP2Handler.StreamConfiguration()
        stream.targetWindowSize = 1 << 20
        let http2 = NIOHTTP2Handler(
            mode: .client,
            eventLoop: channel.eventLoop,
            connectionConfiguration: connection,
            streamConfiguration: stream,
            // The server has no stream of its own to open on a WebSocket's connection.
            inboundStreamInitializer: { $0.close() }
        )
        try channel.pipeline.syncOperations.addHandler(http2)
        let promise = channel.eventLoop.makePromise(of: UpgradeOutcome.self)
        try channel.pipeline.syncOperations.addHandler(
            HTTP2ConnectionHandler(
                configuration: self.configuration,
                multiplexer: try http2.syncMultiplexer(),
                promise: promise
            )
        )
        return promise.futureResult
    }
}

/// How the HTTP upgrade ended.
enum UpgradeOutcome: Sendable {
    /// The server switched to WebSocket; the session runs on this channel.
    case upgraded(SessionChannel, HandshakeInfo)
    /// The server answered with another status.
    case rejected(Refusal)
}

/// A server's answer to the upgrade request other than 101.
struct Refusal: Sendable, Equatable {
    /// The status line, as the server sent it.
    var statusLine: String
    /// The status code.
    var status: Int
    /// For a verbose report: the headers and the start of the body.
    var details: [String]
    /// For a redirect (3xx), the `Location` it names.
    var location: String?
    /// For a 429 or 503, how long it asked the client to wait before trying again.
    var retryAfter: Duration?
}
