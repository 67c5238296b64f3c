import NIOCore
import NIOHTTP1
import NIOWebSocket

/// The client side of the WebSocket upgrade: NIO's upgrader for the key and the `Sec-WebSocket-Accept`
/// check, but our own pipeline once the server switched protocols.
///
/// NIO's `upgrade` installs its frame encoder, which takes one `WebSocketFrame` per write; wsc encodes
/// whole batches of frames into single buffers instead (``FrameEncoder``), so only NIO's decoder is kept
/// (inside ``FrameDecoder``).
struct WebSocketUpgrader: NIOTypedHTTPClientProtocolUpgrader {
    typealias UpgradeResult = UpgradeOutcome

    /// Delegate for the request headers and the accept check; its own `upgrade` is never called.
    private let keyAndAccept: NIOTypedWebSocketClientUpgrader<UpgradeOutcome>
    private let maxFrameSize: Int
    /// Installs the session on the upgraded channel and returns it.
    private let installSession: @Sendable (any Channel, HTTPResponseHead) throws -> UpgradeOutcome

    init(
        maxFrameSize: Int,
        installSession: @escaping @Sendable (any Channel, HTTPResponseHead) throws -> UpgradeOutcome
    ) {
        self.keyAndAccept = NIOTypedWebSocketClientUpgrader(
            upgradePipelineHandler: { channel, _ in
                channel.eventLoop.makeFailedFuture(ChannelError.inappropriateOperationForState)
            }
        )
        self.maxFrameSize = maxFrameSize
        self.installSession = installSession
    }

    var supportedProtocol: String { self.keyAndAccept.supportedProtocol }

    var requiredUpgradeHeaders: [String] { self.keyAndAccept.requiredUpgradeHeaders }

    func addCustom(upgradeRequestHeaders: inout HTTPHeaders) {
        self.keyAndAccept.addCustom(upgradeRequestHeaders: &upgradeRequestHeaders)
    }

    func shouldAllowUpgrade(upgradeResponse: HTTPResponseHead) -> Bool {
        self.keyAndAccept.shouldAllowUpgrade(upgradeResponse: upgradeResponse)
    }

    func upgrade(channel: any Channel, upgradeResponse: HTTPResponseHead) -> EventLoopFuture<UpgradeOutcome> {
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(
                ByteToMessageHandler(FrameDecoder(maxFrameSize: self.maxFrameSize, role: .client))
            )
            return try self.installSession(channel, upgradeResponse)
        }
    }
}
