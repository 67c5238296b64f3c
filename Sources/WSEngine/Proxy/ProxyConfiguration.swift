/// A proxy to reach the server through: an HTTP proxy asked for a tunnel with `CONNECT` (RFC 9110 section 9.3.6), or a
/// SOCKS5 proxy (RFC 1928). TLS for `wss://` runs inside the tunnel, end to end with the server.
public struct ProxyConfiguration: Sendable, Equatable, CustomStringConvertible {
    /// How the proxy is asked for the connection.
    public enum Kind: Sendable, Equatable {
        /// `http://`: an HTTP `CONNECT` request.
        case httpConnect
        /// `socks5h://`: SOCKS5 with the server's host name resolved by the proxy. (`socks5://` differs in
        /// curl only in resolving the name locally first; wsc treats it the same way for host names.)
        case socks5
    }

    /// How the proxy is asked.
    public var kind: Kind
    /// The proxy's host name or IP address, without the brackets of an IPv6 literal.
    public var host: String
    /// The proxy's port: explicit, or 1080 as in curl.
    public var port: Int
    /// Credentials for the proxy (`user:password@` in its URL): sent as `Proxy-Authorization: Basic` to an
    /// HTTP proxy, and as SOCKS5 user name and password (RFC 1929).
    public var credentials: BasicCredentials?

    /// Creates a configuration.
    public init(kind: Kind, host: String, port: Int = 1080, credentials: BasicCredentials? = nil) {
        self.kind = kind
        self.host = host
        self.port = port
        self.credentials = credentials
    }

    /// Parses a proxy URL: `[scheme://][user:password@]host[:port]`, the scheme `http` (the default),
    /// `socks5` or `socks5h`. Throws ``WebSocketURLError`` with a message fit for the user.
    public init(parsing text: String) throws(WebSocketURLError) {
        var rest = Substring(text)
        // Messages quote the URL, but never its password.
        let shown = Redaction.redactingPassword(inURL: text)
        self.kind = .httpConnect
        if let schemeEnd = rest.firstRange(of: "://") {
            switch rest[..<schemeEnd.lowerBound].lowercased() {
            case "http": self.kind = .httpConnect
            case "socks5", "socks5h": self.kind = .socks5
            case let other:
                throw WebSocketURLError(
                    "unsupported proxy scheme '\(other)' in '\(shown)': use http://, socks5:// or socks5h://"
                )
            }
            rest = rest[schemeEnd.upperBound...]
        }
        if rest.last == "/" {
            rest = rest.dropLast()
        }
        if rest.contains(where: { $0 == "/" || $0 == "?" || $0 == "#" }) {
            throw WebSocketURLError("the proxy URL '\(shown)' has a path; give only [scheme://]host[:port]")
        }
        let authority = try URLAuthority(parsing: rest, in: shown, example: "http://127.0.0.1:3128")
        self.host = authority.host
        self.port = authority.port ?? 1080
        self.credentials = authority.credentials
    }

    /// The proxy as wsc shows it in messages: scheme, host and port; never the password.
    public var description: String {
        let scheme = self.kind == .httpConnect ? "http" : "socks5h"
        return "\(scheme)://\(URLAuthority.bracketed(self.host)):\(self.port)"
    }
}
