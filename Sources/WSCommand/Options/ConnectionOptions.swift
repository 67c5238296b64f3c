import ArgumentParser
import WSEngine

/// How to connect and open the handshake, for `wsc` and `wsc bench` alike (each takes the URL itself).
struct ConnectionOptions: ParsableArguments {
    @Option(
        name: [.customShort("H"), .customLong("header")],
        help: ArgumentHelp(
            "Add a request header; repeatable. Replaces wsc's Host, User-Agent, Origin or Authorization header "
                + "(and, with --no-compression, may name Sec-WebSocket-Extensions); the handshake's own headers "
                + "(Upgrade, Connection, Sec-WebSocket-Key, -Version, -Protocol: use -s) and a body's cannot be set.",
            valueName: "name: value"
        )
    )
    var headers: [String] = []

    @Option(name: [.customShort("o"), .long], help: "Send this Origin header.")
    var origin: String?

    @Option(
        name: [.customShort("s"), .customLong("subprotocol")],
        help: ArgumentHelp("Offer a subprotocol; repeatable, in order of preference.", valueName: "protocol")
    )
    var subprotocols: [String] = []

    @Option(
        help: ArgumentHelp("HTTP Basic credentials (also accepted as user:pass@ in the URL).", valueName: "user:pass")
    )
    var auth: String?

    @Flag(
        name: [.customShort("L"), .customLong("location")],
        help: """
            Follow the server's redirects (3xx with a Location), as curl -L does; credentials and -H headers go \
            along only to the same scheme, host and port, and a redirect from wss:// to ws:// is refused.
            """
    )
    var followRedirects = false

    @Option(
        name: .customLong("max-redirs"),
        parsing: .unconditional,
        help: ArgumentHelp(
            "With -L, give up after this many redirects (\(OptionRanges.redirects.lowerBound) to "
                + "\(OptionRanges.redirects.upperBound)).",
            valueName: "count"
        )
    )
    var maxRedirects = 10

    @Option(
        help: ArgumentHelp(
            "Connect through this proxy: http://[user:pass@]host[:port] (CONNECT) or "
                + "socks5h://[user:pass@]host[:port]; the port defaults to 1080. Without it, http_proxy (ws://), "
                + "https_proxy (wss://) or all_proxy apply, as in curl; '' uses no proxy at all.",
            valueName: "url"
        )
    )
    var proxy: String?

    @Option(
        name: .customLong("noproxy"),
        help: ArgumentHelp(
            "Connect to these hosts directly, replacing no_proxy: host names (with the names under them), IP "
                + "addresses, CIDR ranges, each with an optional :port, separated by commas; * for all.",
            valueName: "list"
        )
    )
    var noProxy: String?

    @Option(
        name: .customLong("unix-socket"),
        help: ArgumentHelp(
            "Connect to this Unix domain socket instead of the URL's host and port, which still name the server.",
            valueName: "path"
        ),
        completion: .file()
    )
    var unixSocket: String?

    @Flag(
        help: ArgumentHelp(
            "Open the WebSocket as a stream of an HTTP/2 connection (RFC 8441) for a wss:// URL: ALPN must "
                + "select h2 and the server must allow extended CONNECT, or the handshake fails (exit 4); there "
                + "is no fallback to HTTP/1.1. Not with -L. Example: wsc --http2 wss://example.com/chat"
        )
    )
    var http2 = false

    @Flag(
        name: .customLong("http2-prior-knowledge"),
        help: ArgumentHelp(
            "As --http2, for a ws:// URL: HTTP/2 without TLS (h2c), spoken from the first byte, as curl's option "
                + "of that name. Example: wsc --http2-prior-knowledge ws://localhost:8080/chat"
        )
    )
    var http2PriorKnowledge = false

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Give up connecting (DNS, TCP and handshake) after this long: \(OptionRanges.timeout.text) "
                + "(default: \(ClientConfiguration.defaultConnectTimeout.components.seconds)).",
            valueName: "seconds"
        )
    )
    var connectTimeout: Double?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "After sending Close, wait this long for the server's Close (counted from the last frame received): "
                + "\(OptionRanges.timeout.text) (default: \(SessionConfiguration.defaultCloseTimeout.components.seconds)).",
            valueName: "seconds"
        )
    )
    var closeTimeout: Double?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Send a ping this often, so that proxies and NATs keep an idle connection open: "
                + "\(OptionRanges.pingInterval.text).",
            valueName: "seconds"
        )
    )
    var pingInterval: Double?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "With --ping-interval: drop the connection (exit 7) when nothing arrives within this long of a ping: "
                + "\(OptionRanges.timeout.text).",
            valueName: "seconds"
        )
    )
    var pingTimeout: Double?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Largest message accepted; larger ones close with 1009. Suffixes K, M, G; "
                + "\(OptionRanges.messageSize.lowerBound) to \(OptionRanges.messageSize.upperBound) bytes "
                + "(default: \(ByteCount(bytes: SessionConfiguration.defaultMaxMessageSize(for: .client)).defaultValueDescription), "
                + "or \(ByteCount(bytes: SessionConfiguration.defaultMaxMessageSize(for: .server)).defaultValueDescription) "
                + "with --listen).",
            valueName: "bytes"
        )
    )
    var maxMessageSize: ByteCount?

    @Flag(
        help: ArgumentHelp(
            "Do not offer (or, with --listen, accept) permessage-deflate compression; it is on by default."
        )
    )
    var noCompression = false

    @Flag(
        help: ArgumentHelp(
            "When the connection fails or drops (refused, reset, a hang-up, a ping timeout, Close 1001, 1006, "
                + "1011-1014, a 429 or 503 answer), connect again after a growing, jittered wait (0.5 s doubling "
                + "up to 30 s; a Retry-After is honoured); -x messages are sent again on each connection."
        )
    )
    var reconnect = false

    @Option(
        name: .customLong("reconnect-max"),
        parsing: .unconditional,
        help: ArgumentHelp(
            "With --reconnect, give up after this many attempts in a row (\(OptionRanges.attempts.lowerBound) to "
                + "\(OptionRanges.attempts.upperBound); default: no limit).",
            valueName: "count"
        )
    )
    var reconnectMax: Int?

    mutating func validate() throws {
        if let unixSocket {
            if let proxy, !proxy.isEmpty {
                throw ValidationError("--unix-socket and --proxy both say where to connect; pick one")
            }
            // sockaddr_un holds 108 bytes with the terminating NUL (unix(7)).
            guard (1...107).contains(unixSocket.utf8.count) else {
                throw ValidationError("--unix-socket takes a path of 1 to 107 bytes (unix(7))")
            }
        }
        try OptionRanges.check(self.maxRedirects, in: OptionRanges.redirects, option: "--max-redirs", unit: "redirects")
        if let auth, !auth.contains(":") {
            throw ValidationError("--auth takes user:password")
        }
        if let connectTimeout {
            try OptionRanges.timeout.check(connectTimeout, option: "--connect-timeout")
        }
        if let closeTimeout {
            try OptionRanges.timeout.check(closeTimeout, option: "--close-timeout")
        }
        if let pingInterval {
            try OptionRanges.pingInterval.check(pingInterval, option: "--ping-interval")
        }
        if let pingTimeout {
            try OptionRanges.timeout.check(pingTimeout, option: "--ping-timeout")
        }
        if let maxMessageSize {
            try OptionRanges.check(
                maxMessageSize.bytes,
                in: OptionRanges.messageSize,
                option: "--max-message-size",
                unit: "bytes"
            )
        }
        if let reconnectMax {
            guard self.reconnect else {
                throw ValidationError("--reconnect-max limits --reconnect: give --reconnect too")
            }
            try OptionRanges.check(reconnectMax, in: OptionRanges.attempts, option: "--reconnect-max", unit: "attempts")
        }
        if self.http2 && self.http2PriorKnowledge {
            throw ValidationError("--http2 is for wss:// and --http2-prior-knowledge for ws://; give one")
        }
        if self.followRedirects && (self.http2 || self.http2PriorKnowledge) {
            throw ValidationError(
                "-L does not apply over HTTP/2: a server answers an extended CONNECT with 2xx or a refusal, "
                    + "and wsc follows no redirect there"
            )
        }
        if self.pingTimeout != nil && self.pingInterval == nil {
            throw ValidationError("--ping-timeout watches the answers to pings: give --ping-interval too")
        }
    }

    /// The pings of `--ping-interval` and `--ping-timeout`, or `nil` without them.
    var keepalive: Keepalive? {
        self.pingInterval.map { interval in
            Keepalive(interval: .seconds(interval), timeout: self.pingTimeout.map { .seconds($0) })
        }
    }
}
