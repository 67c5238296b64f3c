/// Why the proxy gave no tunnel to the server, worded for the person at the terminal.
struct ProxyError: Error, Sendable, Equatable, CustomStringConvertible {
    let description: String

    /// The HTTP proxy answered `CONNECT` with a status other than 2xx, such as `407 Proxy Authentication
    /// Required` or `403 Forbidden`.
    static func refused(proxy: ProxyConfiguration, target: String, status: String) -> ProxyError {
        let hint =
            status.hasPrefix("407")
            ? ": give the proxy's credentials in its URL (http://user:password@host:port)"
            : proxy.credentials == nil ? "" : ": check the proxy's credentials and rules"
        return ProxyError(description: "the proxy \(proxy) refused a tunnel to \(target): \(status)\(hint)")
    }

    /// What came back is not an HTTP answer, or an endless one.
    static func malformedAnswer(proxy: ProxyConfiguration) -> ProxyError {
        ProxyError(description: "the proxy \(proxy) did not answer CONNECT with HTTP: is it an HTTP proxy?")
    }

    /// The proxy hung up before answering.
    static func closedBeforeAnswering(proxy: ProxyConfiguration) -> ProxyError {
        ProxyError(description: "the proxy \(proxy) closed the connection before answering CONNECT")
    }

    /// The SOCKS5 proxy accepts no client without a login, and its URL gave none.
    static func socksAuthenticationRequired(proxy: ProxyConfiguration) -> ProxyError {
        ProxyError(
            description: "the SOCKS proxy \(proxy) requires a user name and password: give them in its URL "
                + "(socks5h://user:password@host:port)"
        )
    }

    /// The SOCKS5 proxy wants a login method other than a user name and password (GSSAPI, say).
    static func socksNoAcceptableMethod(proxy: ProxyConfiguration) -> ProxyError {
        ProxyError(
            description: "the SOCKS proxy \(proxy) accepts neither of wsc's login methods "
                + "(none, user name and password)"
        )
    }

    /// The SOCKS5 proxy refused the user name and password (RFC 1929).
    static func socksCredentialsRefused(proxy: ProxyConfiguration) -> ProxyError {
        ProxyError(description: "the SOCKS proxy \(proxy) refused the user name and password in its URL")
    }

    /// The SOCKS5 proxy hung up before the tunnel was open.
    static func socksClosedEarly(proxy: ProxyConfiguration) -> ProxyError {
        ProxyError(description: "the SOCKS proxy \(proxy) closed the connection before opening the tunnel")
    }

    /// What came back is not a SOCKS5 answer.
    static func notSOCKS(proxy: ProxyConfiguration) -> ProxyError {
        ProxyError(description: "the proxy \(proxy) did not answer as a SOCKS5 proxy")
    }

    /// The SOCKS5 proxy could not or would not connect, with its reply (RFC 1928 section 6) in words.
    static func socksFailed(proxy: ProxyConfiguration, target: String, reason: String) -> ProxyError {
        ProxyError(description: "the SOCKS proxy \(proxy) could not connect to \(target): \(reason)")
    }
}
