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

extension ListenEvent {
    /// The address of the client the event is about, such as `127.0.0.1:52144`.
    public var peer: String {
        switch self {
        case .connected(let peer, _), .closed(let peer, _), .refused(let peer, _):
            peer
        }
    }

    /// What happened, without the peer: one text shared by the stderr status lines of pipe-style listening
    /// and the REPL's transcript, so both say the same thing.
    public var summary: String {
        switch self {
        case .connected(_, let handshake):
            let details = [
                handshake.subprotocol.map { "subprotocol \($0)" }, handshake.compression.map { _ in "compressed" },
            ]
            .compactMap { $0 }
            return "connected" + (details.isEmpty ? "" : " (\(details.joined(separator: ", ")))")
        case .closed(_, let report):
            return report.summary(peer: "client")
        case .refused(_, let reason):
            return reason
        }
    }
}
