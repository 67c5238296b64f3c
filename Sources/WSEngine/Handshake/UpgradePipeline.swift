import NIOCore
import NIOHTTP1
import NIOWebSocket

/// Installs the client's opening handshake on a channel: one handler that sends the upgrade request, reads
/// the answer, and on a 101 puts the frame decoder and the session in its own place.
struct UpgradePipeline {
    let configuration: ClientConfiguration

    /// Adds the handshake handler to `channel` and returns the future outcome of the upgrade.
    func install(on channel: any Channel) throws -> EventLoopFuture<UpgradeOutcome> {
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
}

/// How the HTTP upgrade ended.
enum UpgradeOutcome: Sendable {
    /// The server switched to WebSocket; the session runs on this channel.
    case upgraded(SessionChannel, HandshakeInfo)
    /// The server answered with another status.
    case rejected(Refusal)
}

/// A server's answer to the upgrade request other than 101.
struct Refusal: Sendable {
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
