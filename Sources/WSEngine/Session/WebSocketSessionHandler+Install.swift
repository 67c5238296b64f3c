import NIOCore
import WSDeflate

extension WebSocketSessionHandler {
    /// Adds the session handler to an upgraded channel and wraps the channel for the front end: the one
    /// step after the opening handshake that a client and a server share.
    ///
    /// Events reach the front end a read burst at a time. The socket is read again only while fewer than
    /// two bursts wait, and while the bytes handed over and not yet dealt with stay within the session's
    /// ``InboundBudget``: one burst queued while the front end writes out the other keeps both sides busy,
    /// and a slow front end stops the reading instead of filling memory. (Eight waiting bursts held up to
    /// 3 MB of 1 MiB messages more at the peak, for no more throughput.) The frame decoder comes first, then
    /// the keepalive's handler if there is one, then the session's. `compression` is what the handshake
    /// agreed on. A listener's sessions also share `sharedBudget`.
    static func install(
        on channel: any Channel,
        configuration: SessionConfiguration,
        compression: PerMessageDeflateParameters?,
        sharedBudget: SharedInboundBudget? = nil
    ) throws -> SessionChannel {
        let role = configuration.role
        try channel.pipeline.syncOperations.addHandler(
            ByteToMessageHandler(FrameDecoder(maxFrameSize: configuration.maxFrameSize, role: role))
        )
        if let keepalive = configuration.keepalive {
            try channel.pipeline.syncOperations.addHandler(KeepaliveHandler(keepalive, role: role))
        }
        let handler = WebSocketSessionHandler(
            configuration: configuration,
            compression: try compression.map { try MessageCompression(parameters: $0, role: role) },
            sharedBudget: sharedBudget
        )
        try channel.pipeline.syncOperations.addHandler(handler)
        let events = try NIOAsyncChannel<[SessionEvent], Never>(
            wrappingChannelSynchronously: channel,
            configuration: .init(backPressureStrategy: .init(lowWatermark: 1, highWatermark: 2))
        )
        return SessionChannel(events: events, budget: handler.budget)
    }
}
