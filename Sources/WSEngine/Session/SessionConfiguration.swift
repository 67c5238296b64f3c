/// How an open session behaves: the same value for a client and for each client of a server, resolved
/// once from the command line and handed whole to the session's handlers. Every default is written here.
public struct SessionConfiguration: Sendable, Equatable {
    /// Which end wsc is; it decides who masks, and the default message limit.
    public var role: SessionRole
    /// The largest message accepted from the peer, in bytes; a larger one closes the connection with 1009.
    public var maxMessageSize: Int
    /// Time to wait for the peer's answer to our Close before dropping the connection.
    public var closeTimeout: Duration
    /// Pings on a schedule, and how long an answer may take; `nil` sends none.
    public var keepalive: Keepalive?
    /// permessage-deflate (RFC 7692): a client offers it, a server accepts a client's offer.
    public var compression: Bool

    /// A configuration for `role`; a `nil` message limit is the role's default.
    public init(
        role: SessionRole,
        maxMessageSize: Int? = nil,
        closeTimeout: Duration = SessionConfiguration.defaultCloseTimeout,
        keepalive: Keepalive? = nil,
        compression: Bool = true
    ) {
        self.role = role
        self.maxMessageSize = maxMessageSize ?? Self.defaultMaxMessageSize(for: role)
        self.closeTimeout = closeTimeout
        self.keepalive = keepalive
        self.compression = compression
    }

    /// The message limit unless one is given: 64 MiB for a client; 16 MiB for a server, a quarter, since
    /// every client of a server may send one, and a few kilobytes of deflate data inflate to that much.
    public static func defaultMaxMessageSize(for role: SessionRole) -> Int {
        switch role {
        case .client: 64 << 20
        case .server: 16 << 20
        }
    }

    /// The close timeout unless one is given.
    public static let defaultCloseTimeout: Duration = .seconds(5)

    /// The largest frame the decoder accepts: a whole message (compressed, it may be a little larger than
    /// what it inflates to), within the 32-bit sizes a frame decoder holds.
    var maxFrameSize: Int {
        min(MessageAssembler.compressedSizeLimit(forMessageSize: self.maxMessageSize), Int(UInt32.max))
    }
}

/// A limit the engine was configured with, named by the errors and close reports it ends, so that the layer
/// above can say which setting to change.
public enum EngineLimit: Sendable, Equatable {
    /// ``ClientConfiguration/connectTimeout``: connecting and the opening handshake took too long.
    case connectTimeout
    /// ``SessionConfiguration/maxMessageSize``: the peer sent a larger message.
    case maxMessageSize
    /// The timeout of ``Keepalive``: nothing arrived within it after a ping.
    case pingTimeout
}
