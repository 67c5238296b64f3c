/// A connection a listener accepted: an open session, or a request it refused.
public enum IncomingConnection: Sendable {
    /// The client completed the opening handshake; `peer` is its address, such as `127.0.0.1:52144`.
    case session(WebSocketConnection, peer: String)
    /// The client sent something other than a valid WebSocket upgrade request and was answered with an
    /// HTTP error, or went away during the handshake.
    case refused(peer: String, reason: String)
}
