/// A parsed `ws://` or `wss://` URL (RFC 6455 section 3).
///
/// Written by hand rather than with Foundation's `URL` because the rules are few and wsc-specific: a missing
/// scheme means `ws://` (as in wscat), the user information becomes Basic credentials, and a fragment is
/// refused because the RFC forbids it.
public struct WebSocketURL: Sendable, Equatable, CustomStringConvertible {
    /// Whether the connection uses TLS (`wss://`).
    public var isSecure: Bool
    /// The host name or IP address, without the brackets of an IPv6 literal.
    public var host: String
    /// The TCP port: explicit, or 80 for `ws://` and 443 for `wss://`.
    public var port: Int
    /// The request target: path and query, never empty (`/` when the URL has no path).
    public var requestTarget: String
    /// Credentials given as `user:password@` before the host, percent-decoded.
    public var credentials: BasicCredentials?

    /// Whether the host is an IPv6 literal, which the `Host` header and display put in brackets.
    public var isIPv6Literal: Bool { self.host.contains(":") }

    /// The port the scheme implies when the URL names none.
    public var defaultPort: Int { self.isSecure ? 443 : 80 }

    /// The host and the port, always: `example.com:443`, `[::1]:8080`. A proxy's `CONNECT` names the server so.
    public var hostAndPort: String {
        "\(self.bracketedHost):\(self.port)"
    }

    /// The host as a URL writes it: an IPv6 literal in brackets.
    private var bracketedHost: String {
        URLAuthority.bracketed(self.host)
    }

    /// The value of the `Host` header: the host, and the port unless it is the scheme's default.
    public var hostHeader: String {
        self.port == self.defaultPort ? self.bracketedHost : self.hostAndPort
    }

    /// The URL as wsc shows it: scheme, host, port if not the default, target; never the password.
    public var description: String {
        "\(self.isSecure ? "wss" : "ws")://\(self.hostHeader)\(self.requestTarget)"
    }

    /// Parses `text`; throws ``WebSocketURLError`` with a message fit for the user.
    public init(parsing text: String) throws(WebSocketURLError) {
        var rest = Substring(text)
        // Messages quote the URL, but never its password.
        let shown = Redaction.redactingPassword(inURL: text)
        if let schemeEnd = rest.firstRange(of: "://") {
            switch rest[..<schemeEnd.lowerBound].lowercased() {
            case "ws": self.isSecure = false
            case "wss": self.isSecure = true
            case let other: throw WebSocketURLError("unsupported scheme '\(other)' in '\(shown)': use ws:// or wss://")
            }
            rest = rest[schemeEnd.upperBound...]
        } else {
            self.isSecure = false
        }
        if rest.contains("#") {
            throw WebSocketURLError("'\(shown)' has a fragment (#...), which WebSocket URLs may not carry")
        }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        let target = rest[authorityEnd...]
        self.requestTarget = target.first == "?" ? "/" + target : (target.isEmpty ? "/" : String(target))

        let parsed = try URLAuthority(parsing: authority, in: shown, example: "ws://localhost:8080/")
        self.host = parsed.host
        self.port = parsed.port ?? (self.isSecure ? 443 : 80)
        self.credentials = parsed.credentials
        if let bad = HTTPSyntax.firstForbiddenTargetCharacter(in: self.requestTarget) {
            throw WebSocketURLError(
                "'\(shown)' has a character that must be percent-encoded in the path: '\(bad.escaped(asASCII: true))'"
            )
        }
    }
}

/// A URL wsc cannot connect to, with the reason in words for the user.
public struct WebSocketURLError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong and how to write it instead.
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
