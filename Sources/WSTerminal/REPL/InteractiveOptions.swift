import WSEngine

/// How the interactive front end looks and where it keeps the lines a person typed.
public struct InteractiveOptions: Sendable {
    /// Whether the transcript is coloured with ANSI escape sequences. The runner decides: a terminal that is
    /// not `TERM=dumb`, no `NO_COLOR`, no `--no-color`.
    public var colors: Bool
    /// Whether every transcript line starts with the local time as `HH:MM:SS.mmm`.
    public var timestamps: Bool
    /// The file typed lines are read from at start and appended to; `nil` keeps no history between sessions.
    public var historyFile: String?
    /// What the first transcript line says about the session that just opened; `nil` shows none (`--listen`).
    public var greeting: SessionGreeting?

    /// Creates options; by default no colours, timestamps on, no history file.
    public init(colors: Bool = false, timestamps: Bool = true, historyFile: String? = nil) {
        self.colors = colors
        self.timestamps = timestamps
        self.historyFile = historyFile
    }

    /// Where the history lives when the user did not say: `$XDG_STATE_HOME/wsc/history`, else
    /// `~/.local/state/wsc/history` (the XDG Base Directory default), or `nil` when neither variable helps.
    ///
    /// The XDG specification says a relative `XDG_STATE_HOME` is invalid and must be ignored, and so it is.
    public static func defaultHistoryFile(environment: [String: String]) -> String? {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            return Self.removingTrailingSlashes(state) + "/wsc/history"
        }
        if let home = environment["HOME"], home.hasPrefix("/") {
            return Self.removingTrailingSlashes(home) + "/.local/state/wsc/history"
        }
        return nil
    }

    private static func removingTrailingSlashes(_ path: String) -> String {
        var path = Substring(path)
        while path.hasSuffix("/") {
            path = path.dropLast()
        }
        return String(path)
    }
}

/// What the REPL's first line says about the session it opens: where it is connected and what the handshake
/// agreed on, as wscat does when it connects.
public struct SessionGreeting: Sendable, Equatable {
    /// The URL as wsc shows it, without a password (after `-L`, where the redirects led).
    public var url: String
    /// The subprotocol the server selected, if any; the server chose it, so it is escaped when shown.
    public var subprotocol: String?
    /// Whether permessage-deflate was agreed.
    public var compressed: Bool
    /// The HTTP version of the handshake; HTTP/2 is named, HTTP/1.1 goes without saying.
    public var handshakeProtocol: HandshakeProtocol

    /// A greeting for a session on `url`.
    public init(url: String, subprotocol: String?, compressed: Bool, handshakeProtocol: HandshakeProtocol = .http1) {
        self.url = url
        self.subprotocol = subprotocol
        self.compressed = compressed
        self.handshakeProtocol = handshakeProtocol
    }
}
