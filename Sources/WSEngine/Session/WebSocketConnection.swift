import NIOCore

/// An open WebSocket session: the handshake that opened it, and the channel that carries its messages.
///
/// Front ends get the two halves through ``run(_:)``, which closes the connection when the body returns.
public struct WebSocketConnection: Sendable {
    /// The opening handshake, for a verbose report and for showing the negotiated subprotocol.
    public let handshake: HandshakeInfo
    let session: SessionChannel

    init(handshake: HandshakeInfo, session: SessionChannel) {
        self.handshake = handshake
        self.session = session
    }

    /// Runs `body` with the session's events and writer, then closes the connection.
    ///
    /// The event sequence ends after the ``SessionEvent/closed(_:)`` event; a front end that wants the
    /// closing handshake to finish sends ``SessionCommand/close(_:reason:)`` and keeps reading until then.
    public func run<Result: Sendable>(
        _ body: (_ events: SessionEvents, _ writer: SessionWriter) async throws -> Result
    ) async throws -> Result {
        let channel = self.session.events.channel
        let writer = SessionWriter(channel)
        return try await self.session.events.executeThenClose { inbound, _ in
            try await body(SessionEvents(inbound, budget: self.session.budget, channel: channel), writer)
        }
    }
}

/// A session's channel as the front end gets it: the bursts of events, and the budget of bytes that its
/// iterator gives back as the front end deals with them.
struct SessionChannel: Sendable {
    let events: NIOAsyncChannel<[SessionEvent], Never>
    let budget: InboundBudget
}

/// The events of a session, in the order they happened on the wire.
///
/// The channel hands them over a read burst at a time; the iterator walks each burst without suspending,
/// so a burst of small messages costs one hop between the event loop and the front end's task.
public struct SessionEvents: AsyncSequence, Sendable {
    public typealias Element = SessionEvent

    private let inbound: NIOAsyncChannelInboundStream<[SessionEvent]>
    private let budget: InboundBudget
    private let channel: any Channel

    init(_ inbound: NIOAsyncChannelInboundStream<[SessionEvent]>, budget: InboundBudget, channel: any Channel) {
        self.inbound = inbound
        self.budget = budget
        self.channel = channel
    }

    /// Iterates the events; the iteration ends once the connection is closed, always after a
    /// ``SessionEvent/closed(_:)`` event.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var bursts: NIOAsyncChannelInboundStream<[SessionEvent]>.AsyncIterator
        let budget: InboundBudget
        let channel: any Channel
        var burst: [SessionEvent] = []
        var index = 0
        var reportedClose = false
        /// Bytes of the messages handed out so far, given back to the budget before the next burst.
        var handedOut = 0

        /// The next event, or `nil` after the ``SessionEvent/closed(_:)`` event: the front end is then done,
        /// and a Close that waits for it (after a protocol violation) goes out once it returns.
        public mutating func next() async throws -> SessionEvent? {
            if self.reportedClose {
                return nil
            }
            while self.index == self.burst.count {
                // The front end is done with everything handed out: the session may read on. The burst goes
                // first, so that its messages are freed before the next ones are read.
                self.burst = []
                if self.budget.consumed(self.handedOut) {
                    self.channel.read()
                }
                self.handedOut = 0
                guard let burst = try await self.bursts.next() else { return self.endWithoutReport() }
                self.burst = burst
                self.index = 0
            }
            defer { self.index += 1 }
            let event = self.burst[self.index]
            self.handedOut += event.messageBytes
            if case .closed = event {
                self.reportedClose = true
            }
            return event
        }

        /// A connection that closed while the upgrade was still being completed never reaches the session
        /// handler, so nothing reported its end: report it as dropped rather than end in silence.
        private mutating func endWithoutReport() -> SessionEvent? {
            guard !self.reportedClose else { return nil }
            self.reportedClose = true
            return .closed(
                CloseReport(
                    initiator: .remote,
                    code: .abnormalClosure,
                    reason: "connection closed during the handshake"
                )
            )
        }
    }

    /// Makes the iterator; a session's events can be iterated once.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(bursts: self.inbound.makeAsyncIterator(), budget: self.budget, channel: self.channel)
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

    /// Sends one command without waiting for it to reach the socket: for a Close to a peer that may never
    /// drain what is ahead of it, whose session's close timeout then ends the connection.
    public func post(_ command: SessionCommand) {
        self.channel.writeAndFlush(OutboundBatch(commands: [command]), promise: nil)
    }
}
