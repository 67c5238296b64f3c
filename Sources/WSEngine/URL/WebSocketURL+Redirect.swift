extension WebSocketURL {
    /// The URL a redirect's `Location` names, read against this one (RFC 9110 section 10.2.2): an absolute URL
    /// (`http://` and `https://` become `ws://` and `wss://`, as a WebSocket handshake is an HTTP request), a
    /// path from the root (`/chat`), or a path relative to this URL's (`v2/chat`, `../v2`), with `.` and `..`
    /// resolved (RFC 3986 section 5.2.4). A fragment is dropped: a WebSocket URL has none. Throws
    /// ``WebSocketURLError`` for a location that is none of these or not a WebSocket URL.
    public func resolvingRedirect(to fullLocation: String) throws(WebSocketURLError) -> WebSocketURL {
        let location = String(fullLocation.prefix { $0 != "#" })
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
        let path = target.prefix { $0 != "?" }
        let normalized = Self.removingDotSegments(path) + target.dropFirst(path.count)
        return try WebSocketURL(parsing: "\(scheme)://\(self.hostAndPort)\(normalized)")
    }

    /// Whether `other` is the same origin (scheme, host and port), to which credentials may follow a redirect.
    public func isSameOrigin(as other: WebSocketURL) -> Bool {
        self.isSecure == other.isSecure && self.host.lowercased() == other.host.lowercased() && self.port == other.port
    }

    /// `path` (starting with `/`) with its `.` and `..` segments resolved, so that `../v2` never reaches the
    /// server as such.
    private static func removingDotSegments(_ path: Substring) -> String {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        var output: [Substring] = []
        for (index, segment) in segments.enumerated() {
            let isLast = index == segments.count - 1
            switch segment {
            case ".":
                break
            case "..":
                if output.count > 1 {
                    output.removeLast()
                }
            default:
                output.append(segment)
                continue
            }
            // A trailing `.` or `..` leaves a directory: the path ends with `/`.
            if isLast {
                output.append("")
            }
        }
        return output.joined(separator: "/")
    }

    /// The request target without its query.
    private var path: Substring {
        self.requestTarget.prefix { $0 != "?" }
    }
}
