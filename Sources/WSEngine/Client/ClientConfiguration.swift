import WSDeflate
import WSTLS

/// Everything the engine needs to open one client connection, resolved from the command line.
public struct ClientConfiguration: Sendable {
    /// Where to connect.
    public var url: WebSocketURL
    /// The user's own request headers, sent after the ones the handshake needs, in this order.
    public var headers: [HeaderField]
    /// The `Origin` header, if any.
    public var origin: String?
    /// Subprotocols to offer, in order of preference. A server that selects one not offered fails the handshake.
    public var subprotocols: [String]
    /// Credentials for HTTP Basic authentication, given by the user or taken from the URL's user information.
    public var basicAuth: BasicCredentials?
    /// Time allowed for name resolution, TCP connect and the opening handshake together.
    public var connectTimeout: Duration
    /// ``connectTimeout`` unless one is given; also the time a server's client has for its handshake.
    public static let defaultConnectTimeout: Duration = .seconds(30)
    /// How the session behaves once open (role `.client`): limits, timeouts, keepalive, and whether
    /// permessage-deflate is offered.
    public var session: SessionConfiguration
    /// The TLS context for a `wss://` URL: trust store, client certificate, server name. Built by the caller
    /// so that unusable files fail before any connection is tried; `nil` means the safe defaults (the system
    /// trust store, full verification), built when connecting. Ignored for `ws://`.
    public var tls: TLSClientContext?
    /// The proxy to connect through, or `nil` to connect to the server directly.
    public var proxy: ProxyConfiguration?
    /// A Unix domain socket to connect to instead of the URL's host and port, which still give the `Host` header, the
    /// request target and, for `wss://`, the name TLS verifies.
    public var unixSocket: String?
    /// How the WebSocket is opened: an HTTP/1.1 upgrade, or a stream of an HTTP/2 connection (RFC 8441),
    /// negotiated with ALPN for `wss://` and spoken with prior knowledge for `ws://`.
    public var handshakeProtocol: HandshakeProtocol

    /// Creates a configuration; everything but the URL has a default.
    public init(
        url: WebSocketURL,
        headers: [HeaderField] = [],
        origin: String? = nil,
        subprotocols: [String] = [],
        basicAuth: BasicCredentials? = nil,
        connectTimeout: Duration = ClientConfiguration.defaultConnectTimeout,
        session: SessionConfiguration = SessionConfiguration(role: .client),
        tls: TLSClientContext? = nil,
        proxy: ProxyConfiguration? = nil,
        unixSocket: String? = nil,
        handshakeProtocol: HandshakeProtocol = .http1
    ) {
        self.url = url
        self.headers = headers
        self.origin = origin
        self.subprotocols = subprotocols
        self.basicAuth = basicAuth
        self.connectTimeout = connectTimeout
        self.session = session
        self.tls = tls
        self.proxy = proxy
        self.unixSocket = unixSocket
        self.handshakeProtocol = handshakeProtocol
    }

    /// What ALPN offers (RFC 7301): the handshake's protocol.
    public var applicationProtocols: [String] {
        switch self.handshakeProtocol {
        case .http1: ["http/1.1"]
        case .http2: ["h2"]
        }
    }

    /// The permessage-deflate offer sent (RFC 7692): none with compression off, or when the user's own
    /// `Sec-WebSocket-Extensions` header replaces it (and then nothing is negotiated).
    var sentCompressionOffer: PerMessageDeflateOffer? {
        let replaced = self.headers.contains { $0.name.lowercased() == "sec-websocket-extensions" }
        return replaced || !self.session.compression ? nil : .standard
    }
}

/// The HTTP version a WebSocket's opening handshake uses.
public enum HandshakeProtocol: Sendable, Equatable, CustomStringConvertible {
    /// The upgrade of RFC 6455 section 4.
    case http1
    /// An extended CONNECT on a stream of an HTTP/2 connection (RFC 8441).
    case http2

    /// `HTTP/1.1` or `HTTP/2`.
    public var description: String {
        switch self {
        case .http1: "HTTP/1.1"
        case .http2: "HTTP/2"
        }
    }
}

/// Why a redirect is not followed.
public enum RedirectRefusal: Error, Sendable, Equatable {
    /// From `wss://` to `ws://`: the session, and whatever it carries, would continue unencrypted.
    case tlsDowngrade
}

extension ClientConfiguration {
    /// This configuration for the URL a redirect leads to. Credentials and the user's own headers go along
    /// only to the same origin (scheme, host and port): ``basicAuth``, the first URL's own credentials and every
    /// one of ``headers`` (`Authorization`, `Cookie`, a `Host` or anything else the user chose for that server)
    /// stay behind when the origin changes, so a server cannot send wsc elsewhere to collect them. Throws for a
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
