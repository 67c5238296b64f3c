import NIOCore

/// A load test: how many connections, how they send, when it ends, and what each message is.
public struct BenchConfiguration: Sendable {
    /// When the test stops sending.
    public enum End: Sendable, Equatable {
        /// After this long of measuring (the warm-up comes first).
        case duration(Duration)
        /// After this many messages in all, spread over the connections.
        case messages(Int)
    }

    /// How sends are paced.
    public enum Pacing: Sendable, Equatable {
        /// As fast as the server answers: this many messages in flight on each connection.
        case closedLoop(pipeline: Int)
        /// This many messages per second in all, sent by the clock whatever the answers; a round trip counts
        /// from when its message was due, not from when it went out (no coordinated omission).
        case constantRate(perSecond: Double)
    }

    /// The connection each virtual user opens: URL, headers, TLS, proxy, session settings.
    public var client: ClientConfiguration
    /// How many connections to open.
    public var connections: Int
    /// New connections per second while ramping up; `nil` opens them all at once.
    public var connectRate: Double?
    /// When sending stops.
    public var end: End
    /// How long messages are sent before they count (they are measured, not reported).
    public var warmup: Duration
    /// How sends are paced.
    public var pacing: Pacing
    /// What each message carries and how its reply is found.
    public var message: BenchMessage
    /// Sends the messages as binary instead of text.
    public var binary: Bool
    /// Messages sent first on each connection, as a login; their replies are not matched.
    public var login: [ByteBuffer]
    /// How long to wait for the replies still in flight once sending stops.
    public var drainTimeout: Duration
    /// How many event loops (threads) carry the connections.
    public var threads: Int

    /// Creates a configuration; by default one connection sends 32-byte echo messages one at a time for 10 s.
    public init(
        client: ClientConfiguration,
        connections: Int = 1,
        connectRate: Double? = nil,
        end: End = .duration(.seconds(10)),
        warmup: Duration = .zero,
        pacing: Pacing = .closedLoop(pipeline: 1),
        message: BenchMessage = .echo(size: BenchPayload.minimumSize),
        binary: Bool = false,
        login: [ByteBuffer] = [],
        drainTimeout: Duration = .seconds(5),
        threads: Int = 1
    ) {
        self.client = client
        self.connections = connections
        self.connectRate = connectRate
        self.end = end
        self.warmup = warmup
        self.pacing = pacing
        self.message = message
        self.binary = binary
        self.login = login
        self.drainTimeout = drainTimeout
        self.threads = threads
    }
}

/// What a load test sends, which decides how a reply is matched to its message.
public enum BenchMessage: Sendable {
    /// Generated payloads of this size carrying their sequence number and send time (``BenchPayload``), for
    /// an echo server.
    case echo(size: Int)
    /// The same payload every time; replies are matched in order, one per message.
    case fixed(ByteBuffer)
    /// A JSON template whose field carries each message's sequence number; a reply is matched by the same
    /// value in the same top-level field (``JSONField``).
    case jsonField(JSONField)
}
