import WSDeflate
import WSTLS

/// Everything the engine needs to open one client connection, resolved from the command line.
public struct ClientConfiguration: Sendable {
    /// Where to connect.
    public var url: WebSocketURL
    /// Extra request headers (`-H`), sent after the ones the handshake needs, in this order.
    public var headers: [HeaderField]
    /// The `Origin` header (`-o`), if any.
    public var origin: String?
    /// Subprotocols to offer (`-s`), in order of preference. A server that selects one not offered fails
    /// the handshake.
    public var subprotocols: [String]
    /// Credentials for HTTP Basic authentication, from `--auth` or the URL's user information.
    public var basicAuth: BasicCredentials?
    /// Time allowed for name resolution, TCP connect and the opening handshake together.
    public var connectTimeout: Duration
    /// Time to wait for the peer's answer to our Close frame before dropping the connection.
    public var closeTimeout: Duration
    /// Pings on a schedule (`--ping-interval`, `--ping-timeout`), or `nil` for none.
    public var keepalive: Keepalive?
    /// The largest message accepted from the peer, in bytes; a larger one closes the connection with 1009.
    public var maxMessageSize: Int
    /// ``maxMessageSize`` unless `--max-message-size` says otherwise: 64 MiB.
    public static let defaultMaxMessageSize = 64 << 20
    /// The permessage-deflate offer (RFC 7692), or `nil` to offer no extension (`--no-compression`). A
    /// `Sec-WebSocket-Extensions` header among ``headers`` replaces the offer, and then nothing is negotiated.
    public var compression: PerMessageDeflateOffer?
    /// The TLS context for a `wss://` URL: trust store, client certificate, server name. Built by the caller
    /// so that unusable files fail before any connection is tried; `nil` means the safe defaults (the system
    /// trust store, full verification), built when connecting. Ignored for `ws://`.
    public var tls: TLSClientContext?
    /// The proxy to connect through (`--proxy`), or `nil` to connect to the server directly.
    public var proxy: ProxyConfiguration?
    /// A Unix domain socket to connect to instead of the URL's host and port (`--unix-socket`), which still
    /// give the `Host` header, the request target and, for `wss://`, the name TLS verifies.
    public var unixSocket: String?

    /// Creates a configuration; everything but the URL has a default.
    public init(
        url: WebSocketURL,
        headers: [HeaderField] = [],
        origin: String? = nil,
        subprotocols: [String] = [],
        basicAuth: BasicCredentials? = nil,
        connectTimeout: Duration = .seconds(30),
        closeTimeout: Duration = .seconds(5),
        keepalive: Keepalive? = nil,
        maxMessageSize: Int = ClientConfiguration.defaultMaxMessageSize,
        compression: PerMessageDeflateOffer? = .standard,
        tls: TLSClientContext? = nil,
        proxy: ProxyConfiguration? = nil,
        unixSocket: String? = nil
    ) {
        self.url = url
        self.headers = headers
        self.origin = origin
        self.subprotocols = subprotocols
        self.basicAuth = basicAuth
        self.connectTimeout = connectTimeout
        self.closeTimeout = closeTimeout
        self.keepalive = keepalive
        self.maxMessageSize = maxMessageSize
        self.compression = compression
        self.tls = tls
        self.proxy = proxy
        self.unixSocket = unixSocket
    }

    /// The offer actually sent: none when the user's own `Sec-WebSocket-Extensions` header replaces it.
    var sentCompressionOffer: PerMessageDeflateOffer? {
        let replaced = self.headers.contains { $0.name.lowercased() == "sec-websocket-extensions" }
        return replaced ? nil : self.compression
    }
}

/// Why a redirect is not followed.
public enum RedirectRefusal: Error, Sendable, Equatable {
    /// From `wss://` to `ws://`: the session, and whatever it carries, would continue unencrypted.
    case tlsDowngrade
}

extension ClientConfiguration {
    /// This configuration for the URL a redirect leads to. Credentials and the user's own headers go along
    /// only to the same origin (scheme, host and port): `--auth`, the first URL's own credentials and every
    /// `-H` header (`Authorization`, `Cookie`, a `Host` or anything else the user chose for that server) stay
    /// behind when the origin changes, so a server cannot send wsc elsewhere to collect them. Throws for a
    /// redirect from `wss://` to `ws://`, which is never followed.
    public func redirected(to url: WebSocketURL) throws(RedirectRefusal) -> ClientConfiguration {
        if self.url.isSecure && !url.isSecure {
            throw .tlsDowngrade
        }
        var next = self
        next.url = url
        if !self.url.isSameOrigin(as: url) {
            next.basicAuth = nil
            next.headers = []
        } else if next.url.credentials == nil {
            next.url.credentials = self.url.credentials
        }
        return next
    }
}
