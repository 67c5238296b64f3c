import NIOCore
import NIOHTTP1
import NIOWebSocket

/// The server side of the WebSocket upgrade: NIO's upgrader checks the key and version and computes
/// `Sec-WebSocket-Accept`, but the upgraded pipeline is ours, as on the client (``WebSocketUpgrader``).
///
/// NIO's `upgrade` would install its frame encoder, which takes one `WebSocketFrame` per write; the session
/// handler encodes whole batches into single buffers instead (``FrameEncoder``), so only NIO's decoder is kept
/// (inside ``FrameDecoder``).
struct WebSocketServerUpgrader: NIOTypedHTTPServerProtocolUpgrader {
    typealias UpgradeResult = IncomingConnection

    /// Delegate for the request checks and the response headers; its own `upgrade` is never called.
    private let keyAndAccept: NIOTypedWebSocketServerUpgrader<IncomingConnection>
    private let maxFrameSize: Int
    /// Installs the session on the upgraded channel and returns it.
    private let installSession: @Sendable (any Channel, HTTPRequestHead) throws -> IncomingConnection

    /// An upgrader whose 101 response carries `responseHeaders(request)` besides NIO's own.
    init(
        maxFrameSize: Int,
        responseHeaders: @escaping @Sendable (HTTPRequestHead) -> HTTPHeaders,
        installSession: @escaping @Sendable (any Channel, HTTPRequestHead) throws -> IncomingConnection
    ) {
        self.keyAndAccept = NIOTypedWebSocketServerUpgrader(
            shouldUpgrade: { channel, request in
                channel.eventLoop.makeSucceededFuture(responseHeaders(request))
            },
            upgradePipelineHandler: { channel, _ in
                channel.eventLoop.makeFailedFuture(ChannelError.inappropriateOperationForState)
            }
        )
        self.maxFrameSize = maxFrameSize
        self.installSession = installSession
    }

    var supportedProtocol: String { self.keyAndAccept.supportedProtocol }

    var requiredUpgradeHeaders: [String] { self.keyAndAccept.requiredUpgradeHeaders }

    func buildUpgradeResponse(
        channel: any Channel,
        upgradeRequest: HTTPRequestHead,
        initialResponseHeaders: HTTPHeaders
    ) -> EventLoopFuture<HTTPHeaders> {
        self.keyAndAccept.buildUpgradeResponse(
            channel: channel,
            upgradeRequest: upgradeRequest,
            initialResponseHeaders: initialResponseHeaders
        )
    }

    func upgrade(channel: any Channel, upgradeRequest: HTTPRequestHead) -> EventLoopFuture<IncomingConnection> {
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(
                ByteToMessageHandler(FrameDecoder(maxFrameSize: self.maxFrameSize, role: .server))
            )
            return try self.installSession(channel, upgradeRequest)
        }
    }
}
