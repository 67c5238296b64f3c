extension WebSocketURL {
    /// The URL a redirect's `Location` names, read against this one (RFC 9110 section 10.2.2): an absolute URL
    /// (`http://` and `https://` become `ws://` and `wss://`, as a WebSocket handshake is an HTTP request), a
    /// path from the root (`/chat`), or a path relative to this URL's (`v2/chat`). Throws
    /// ``WebSocketURLError`` for a location that is none of these or not a WebSocket URL.
    public func resolvingRedirect(to location: String) throws(WebSocketURLError) -> WebSocketURL {
        let scheme = self.isSecure ? "wss" : "ws"
        let lowercased = location.lowercased()
        for (http, webSocket) in [("http://", "ws://"), ("https://", "wss://")] where lowercased.hasPrefix(http) {
            return try WebSocketURL(parsing: webSocket + location.dropFirst(http.count))
        }
        if lowercased.hasPrefix("ws://") || lowercased.hasPrefix("wss://") {
            return try WebSocketURL(parsing: location)
        }
        if location.hasPrefix("//") {
            return try WebSocketURL(parsing: "\(scheme):\(location)")
        }
        if location.contains("://") {
            throw WebSocketURLError("the redirect to '\(location)' does not lead to a WebSocket URL")
        }
        let base =
            location.hasPrefix("/") || location.hasPrefix("?")
            ? "" : String(self.path[...(self.path.lastIndex(of: "/") ?? self.path.startIndex)])
        let target = location.hasPrefix("?") ? self.path + location : base + location
        return try WebSocketURL(parsing: "\(scheme)://\(self.hostAndPort)\(target)")
    }

    /// Whether `other` is the same origin (scheme, host and port), to which credentials may follow a redirect.
    public func isSameOrigin(as other: WebSocketURL) -> Bool {
        self.isSecure == other.isSecure && self.host.lowercased() == other.host.lowercased() && self.port == other.port
    }

    /// The request target without its query.
    private var path: Substring {
        self.requestTarget.prefix { $0 != "?" }
    }
}
