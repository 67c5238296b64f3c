import ArgumentParser
import WSEngine

/// Which proxy a client connection goes through, decided for each URL, so that a redirect (`-L`) to another
/// host or scheme decides again.
///
/// `--proxy URL` when given, and `--proxy ''` for none at all. Otherwise the environment's, as curl reads it:
/// `http_proxy` for `ws://` (never `HTTP_PROXY`, which a CGI script's request could set through its
/// `Proxy:` header), `https_proxy` or `HTTPS_PROXY` for `wss://`, then `all_proxy` or `ALL_PROXY` for both;
/// the lower-case form first, and an empty variable counts as unset. `--unix-socket` uses no proxy.
///
/// The hosts that go direct are `--noproxy`'s, else `no_proxy`'s, else `NO_PROXY`'s (set but empty: none),
/// and they apply to `--proxy` too. Without any of them, the environment's proxy is not used for
/// `localhost` and the loopback addresses (``NoProxyList/loopback``), so that scripts against local servers
/// keep working in a shell that has a proxy set.
struct ProxyRoute: Sendable {
    /// A proxy chosen for a URL, and where it was set.
    struct Choice: Sendable, Equatable {
        var proxy: ProxyConfiguration
        /// The environment variable that set it, or `nil` for `--proxy`.
        var variable: String?
    }

    /// `--proxy`'s proxy (`nil` inside for `--proxy ''` or `--unix-socket`: none), or `nil` to read the
    /// environment's.
    private let option: ProxyConfiguration??
    private let variables: [String: String]
    /// The hosts that go direct, when a list was given; the loopback default applies to the environment only.
    private let exemptions: NoProxyList?

    /// Resolves the route from `--proxy`, `--noproxy` and `--unix-socket` and the environment's variables;
    /// throws a usage error for a `--proxy` URL wsc cannot use.
    init(proxy: String?, noProxy: String?, unixSocket: Bool, variables: [String: String]) throws {
        if let proxy {
            self.option = .some(proxy.isEmpty ? nil : try Self.parse(proxy, source: "--proxy"))
        } else {
            self.option = unixSocket ? .some(nil) : nil
        }
        self.variables = variables
        self.exemptions = (noProxy ?? variables["no_proxy"] ?? variables["NO_PROXY"]).map(NoProxyList.init(parsing:))
    }

    /// The proxy for `url`, or `nil` to connect directly. Throws a usage error naming the variable when the
    /// one that applies holds a URL wsc cannot use.
    func choice(for url: WebSocketURL) throws(ValidationError) -> Choice? {
        if let option {
            guard let proxy = option, !(self.exemptions?.matches(host: url.host, port: url.port) ?? false) else {
                return nil
            }
            return Choice(proxy: proxy, variable: nil)
        }
        let scheme = url.isSecure ? ["https_proxy", "HTTPS_PROXY"] : ["http_proxy"]
        let names = scheme + ["all_proxy", "ALL_PROXY"]
        guard let variable = names.first(where: { !(self.variables[$0] ?? "").isEmpty }),
            !(self.exemptions ?? .loopback).matches(host: url.host, port: url.port)
        else {
            return nil
        }
        return Choice(proxy: try Self.parse(self.variables[variable] ?? "", source: variable), variable: variable)
    }

    /// A proxy URL, from `--proxy` or a variable (`source`, which errors name).
    private static func parse(_ text: String, source: String) throws(ValidationError) -> ProxyConfiguration {
        let proxy: ProxyConfiguration
        do {
            proxy = try ProxyConfiguration(parsing: text)
        } catch {
            throw ValidationError("\(source): \(error.description)")
        }
        if proxy.kind == .socks5, let credentials = proxy.credentials,
            ![credentials.user, credentials.password].allSatisfy({ (1...255).contains($0.utf8.count) })
        {
            throw ValidationError("\(source): a SOCKS5 user name and password are 1 to 255 bytes each (RFC 1929)")
        }
        try RequestFieldCheck.credentials(proxy.credentials, of: source)
        return proxy
    }
}
