import WSDeflate
import WSTLS

/// What the opening handshake sent and received, for a verbose report and for the front ends.
public struct HandshakeInfo: Sendable, Equatable {
    /// The request line, for example `GET /chat HTTP/1.1`.
    public var requestLine: String
    /// The request headers in the order they were sent.
    public var requestHeaders: [HeaderField]
    /// The status line of the response, for example `HTTP/1.1 101 Switching Protocols`.
    public var statusLine: String
    /// The response headers in the order they arrived.
    public var responseHeaders: [HeaderField]
    /// The subprotocol the server selected, if any.
    public var subprotocol: String?
    /// The permessage-deflate parameters both ends agreed on, or `nil` when messages go uncompressed.
    public var compression: PerMessageDeflateParameters?
    /// What the TLS handshake agreed on, for a `wss://` connection.
    public var tls: TLSSessionInfo?
    /// The HTTP version the handshake used: an HTTP/1.1 upgrade, or an extended CONNECT on an HTTP/2 stream.
    public var handshakeProtocol: HandshakeProtocol = .http1
    /// Over HTTP/2, the server's first SETTINGS, in the order they came.
    public var http2Settings: [HTTP2SettingValue] = []
    /// How long each step of opening the connection took.
    public var timing: ConnectTiming?

    /// Creates a record of a handshake.
    public init(
        requestLine: String,
        requestHeaders: [HeaderField],
        statusLine: String,
        responseHeaders: [HeaderField],
        subprotocol: String?,
        compression: PerMessageDeflateParameters? = nil,
        tls: TLSSessionInfo? = nil
    ) {
        self.requestLine = requestLine
        self.requestHeaders = requestHeaders
        self.statusLine = statusLine
        self.responseHeaders = responseHeaders
        self.subprotocol = subprotocol
        self.compression = compression
        self.tls = tls
    }
}

/// One setting of a server's HTTP/2 SETTINGS frame (RFC 9113 section 6.5.2; RFC 8441 section 3), made by
/// the engine from what the server sent.
public struct HTTP2SettingValue: Sendable, Equatable {
    /// The setting's name in the RFCs, such as `SETTINGS_ENABLE_CONNECT_PROTOCOL`, or "an unknown setting".
    public let name: String
    /// Its value.
    public let value: Int
}

/// How long each step of opening a client connection took, for a load test's report.
public struct ConnectTiming: Sendable, Equatable {
    /// From the start to the TCP connection being up: name resolution and the TCP handshake (to the proxy,
    /// with one).
    public var connect: Duration
    /// The TLS handshake, for `wss://`.
    public var tls: Duration?
    /// From the end of TLS (or of TCP) to the server's 101 being accepted; through the tunnel with a proxy.
    public var upgrade: Duration

    /// Creates a record of the steps' durations.
    public init(connect: Duration, tls: Duration?, upgrade: Duration) {
        self.connect = connect
        self.tls = tls
        self.upgrade = upgrade
    }
}
