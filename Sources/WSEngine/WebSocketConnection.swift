import NIOCore

/// An open WebSocket session: the handshake that opened it, and the channel that carries its messages.
///
/// Front ends get the two halves through ``run(_:)``, which closes the connection when the body returns.
public struct WebSocketConnection: Sendable {
    /// The opening handshake, for `-v` and for showing the negotiated subprotocol.
    public let handshake: HandshakeInfo
    let channel: NIOAsyncChannel<SessionEvent, Never>

    init(handshake: HandshakeInfo, channel: NIOAsyncChannel<SessionEvent, Never>) {
        self.handshake = handshake
        self.channel = channel
    }

    /// Runs `body` with the session's events and writer, then closes the connection.
    ///
    /// The event sequence ends after the ``SessionEvent/closed(_:)`` event; a front end that wants the
    /// closing handshake to finish sends ``SessionCommand/close(_:reason:)`` and keeps reading until then.
    public func run<Result: Sendable>(
        _ body: (_ events: SessionEvents, _ writer: SessionWriter) async throws -> Result
    ) async throws -> Result {
        let writer = SessionWriter(self.channel.channel)
        return try await self.channel.executeThenClose { inbound, _ in
            try await body(SessionEvents(inbound), writer)
        }
    }
}

/// The events of a session, in the order they happened on the wire.
public struct SessionEvents: AsyncSequence, Sendable {
    public typealias Element = SessionEvent

    private let inbound: NIOAsyncChannelInboundStream<SessionEvent>

    init(_ inbound: NIOAsyncChannelInboundStream<SessionEvent>) {
        self.inbound = inbound
    }

    /// Iterates the events; the iteration ends once the connection is closed.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: NIOAsyncChannelInboundStream<SessionEvent>.AsyncIterator

        /// The next event, or `nil` after the connection closed.
        public mutating func next() async throws -> SessionEvent? {
            try await self.base.next()
        }
    }

    /// Makes the iterator; a session's events can be iterated once.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: self.inbound.makeAsyncIterator())
    }
}

/// The sending half of a session.
///
/// Each call waits until its batch has been handed to the socket, so a producer that awaits it holds at
/// most one batch in memory: a slow server slows the producer instead of filling memory. (NIO's async
/// writer only stops accepting once the channel has noticed it is full, which lets a fast producer run
/// hundreds of megabytes ahead.)
public struct SessionWriter: Sendable {
    private let channel: any Channel

    init(_ channel: any Channel) {
        self.channel = channel
    }

    /// Sends one command.
    public func send(_ command: SessionCommand) async throws {
        try await self.send(contentsOf: [command])
    }

    /// Sends a batch of commands in order, encoded into one write.
    public func send(contentsOf commands: [SessionCommand]) async throws {
        try await self.channel.writeAndFlush(OutboundBatch(commands: commands)).get()
    }
}
