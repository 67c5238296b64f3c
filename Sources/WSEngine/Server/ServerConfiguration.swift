/// Everything the engine needs to accept WebSocket connections as a server, resolved from the command line.
public struct ServerConfiguration: Sendable {
    /// The address to bind: an IP address or a host name. The command line defaults it to 127.0.0.1, so that
    /// listening on every interface (`0.0.0.0`, `::`) is always a deliberate choice.
    public var host: String
    /// The TCP port; 0 lets the system pick one, which ``WebSocketListener/localAddress`` then reports.
    public var port: Int
    /// Subprotocols we speak. Of those a client offers, the first it lists that is also here is selected (RFC 6455
    /// section 4.2.2); with none in common the handshake goes on without one.
    public var subprotocols: [String]
    /// How each client's session behaves (role `.server`): limits, timeouts, keepalive, and whether a
    /// client's permessage-deflate offer is accepted.
    public var session: SessionConfiguration
    /// The most connections open at once, sessions and opening handshakes together. At the limit a new connection takes
    /// the place of the oldest one still in its opening handshake; with none, it is answered 503 and closed.
    public var maxClients: Int
    /// The default ``maxClients``, when the user sets no limit of their own.
    public static let defaultMaxClients = 1024
    /// The most bytes of received messages that all clients together may have waiting for the front end
    /// (each client also has its own ``InboundBudget``). Past it, clients' frames wait, still compressed,
    /// and their sockets are not read until the front end catches up: a few kilobytes of deflate data from
    /// each of many clients cannot fill memory with what they inflate to.
    public var inboundMemoryLimit: Int
    /// ``inboundMemoryLimit`` by default: 64 MiB.
    public static let defaultInboundMemoryLimit = 64 << 20
    /// Time a client has, from connecting, to complete the opening handshake; a client that takes longer
    /// is disconnected, so idle connections cannot pile up.
    public var handshakeTimeout: Duration

    /// Creates a configuration; everything but the address has a default.
    public init(
        host: String,
        port: Int,
        subprotocols: [String] = [],
        session: SessionConfiguration = SessionConfiguration(role: .server),
        maxClients: Int = ServerConfiguration.defaultMaxClients,
        inboundMemoryLimit: Int = ServerConfiguration.defaultInboundMemoryLimit,
        handshakeTimeout: Duration = ClientConfiguration.defaultConnectTimeout
    ) {
        self.host = host
        self.port = port
        self.subprotocols = subprotocols
        self.session = session
        self.maxClients = maxClients
        self.inboundMemoryLimit = inboundMemoryLimit
        self.handshakeTimeout = handshakeTimeout
    }
}
