import NIOCore
import NIOHTTP1
import NIOWebSocket

/// Builds the client pipeline for the opening handshake: HTTP codec, a recorder, and NIO's typed upgrade
/// handler with our WebSocket upgrader, whose success installs the frame decoder and the session handler.
struct UpgradePipeline {
    let configuration: ClientConfiguration

    /// Adds the handlers to `channel` and returns the future outcome of the upgrade.
    func install(on channel: any Channel) throws -> EventLoopFuture<UpgradeOutcome> {
        let pipeline = channel.pipeline.syncOperations
        let encoder = HTTPRequestEncoder()
        // Bytes that arrive right behind the 101 response are already WebSocket frames: keep them.
        let decoder = ByteToMessageHandler(HTTPResponseDecoder(leftOverBytesStrategy: .forwardBytes))
        let recorder = HandshakeRecorder()
        try pipeline.addHandlers(encoder, decoder, recorder)

        let boundRecorder = NIOLoopBound(recorder, eventLoop: channel.eventLoop)
        let configuration = self.configuration
        let maxFrameSize = MessageAssembler.compressedSizeLimit(forMessageSize: configuration.maxMessageSize)
        let upgrader = WebSocketUpgrader(maxFrameSize: min(maxFrameSize, Int(UInt32.max))) {
            channel,
            response in
            let handshake = try HandshakeValidation.check(
                request: boundRecorder.value.request,
                response: response,
                offeredSubprotocols: configuration.subprotocols,
                offeredCompression: configuration.sentCompressionOffer
            )
            let session = try WebSocketSessionHandler.install(
                on: channel,
                role: .client,
                maxMessageSize: configuration.maxMessageSize,
                closeTimeout: configuration.closeTimeout,
                compression: handshake.compression,
                keepalive: configuration.keepalive
            )
            return .upgraded(session, handshake)
        }
        let upgradeHandler = NIOTypedHTTPClientUpgradeHandler(
            httpHandlers: [encoder, decoder, recorder],
            upgradeConfiguration: NIOTypedHTTPClientUpgradeConfiguration(
                upgradeRequestHead: HandshakeRequest.head(for: configuration),
                upgraders: [upgrader],
                notUpgradingCompletionHandler: { channel in
                    let recorder = boundRecorder.value
                    let head = recorder.response
                    let body = recorder.bodyPrefix ?? channel.eventLoop.makeSucceededFuture("")
                    return body.map { body in
                        .rejected(
                            statusLine: head.map(HandshakeValidation.statusLine) ?? "no response",
                            details: (head.map { HandshakeValidation.fields($0.headers) } ?? []).map {
                                "\($0.name): \($0.value)"
                            } + (body.isEmpty ? [] : ["", body]),
                            location: head.flatMap(HandshakeValidation.redirectLocation)
                        )
                    }
                }
            )
        )
        try pipeline.addHandler(upgradeHandler)
        return upgradeHandler.upgradeResultFuture
    }
}
