import NIOCore
import WSDeflate

extension WebSocketSessionHandler {
    /// Adds the session handler to an upgraded channel and wraps the channel for the front end: the one
    /// step after the opening handshake that a client and a `--listen` server share.
    ///
    /// Events reach the front end a read burst at a time. The socket is read again only while fewer than
    /// two bursts wait, and while the bytes handed over and not yet dealt with stay within the session's
    /// ``InboundBudget``: one burst queued while the front end writes out the other keeps both sides busy,
    /// and a slow front end stops the reading instead of filling memory. (Eight waiting bursts held up to
    /// 3 MB of 1 MiB messages more at the peak, for no more throughput.) With a `keepalive`, its handler
    /// goes in front of the session's. A listener's sessions also share `sharedBudget`.
    static func install(
        on channel: any Channel,
        role: SessionRole,
        maxMessageSize: Int,
        closeTimeout: Duration,
        compression: PerMessageDeflateParameters?,
        keepalive: Keepalive?,
        sharedBudget: SharedInboundBudget? = nil
    ) throws -> SessionChannel {
        if let keepalive {
            try channel.pipeline.syncOperations.addHandler(KeepaliveHandler(keepalive, role: role))
        }
        let handler = WebSocketSessionHandler(
            role: role,
            maxMessageSize: maxMessageSize,
            closeTimeout: TimeAmount(closeTimeout),
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
