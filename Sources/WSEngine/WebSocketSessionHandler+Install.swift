import NIOCore
import WSDeflate

extension WebSocketSessionHandler {
    /// Adds the session handler to an upgraded channel and wraps the channel for the front end: the one
    /// step after the opening handshake that a client and a `--listen` server share.
    ///
    /// Events reach the front end a read burst at a time; the watermarks keep at most a few bursts
    /// queued, so a slow front end stops the reading of the socket instead of filling memory.
    static func install(
        on channel: any Channel,
        role: SessionRole,
        maxMessageSize: Int,
        closeTimeout: Duration,
        compression: PerMessageDeflateParameters?
    ) throws -> NIOAsyncChannel<[SessionEvent], Never> {
        try channel.pipeline.syncOperations.addHandler(
            WebSocketSessionHandler(
                role: role,
                maxMessageSize: maxMessageSize,
                closeTimeout: TimeAmount(closeTimeout),
                compression: try compression.map { try MessageCompression(parameters: $0, role: role) }
            )
        )
        return try NIOAsyncChannel<[SessionEvent], Never>(
            wrappingChannelSynchronously: channel,
            configuration: .init(backPressureStrategy: .init(lowWatermark: 2, highWatermark: 8))
        )
    }
}
