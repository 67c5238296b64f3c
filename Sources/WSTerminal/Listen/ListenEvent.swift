import WSEngine

/// What happened to one client of `--listen`, for the runner to report on stderr, or the REPL to show.
public enum ListenEvent: Sendable {
    /// A client completed the opening handshake.
    case connected(peer: String, HandshakeInfo)
    /// A client's session ended.
    case closed(peer: String, CloseReport)
    /// A connection that did not become a session (not an upgrade request, or a failed handshake).
    case refused(peer: String, reason: String)
}
