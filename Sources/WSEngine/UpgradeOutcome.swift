import NIOCore

/// How the HTTP upgrade ended.
enum UpgradeOutcome: Sendable {
    /// The server switched to WebSocket; the session runs on this channel.
    case upgraded(SessionChannel, HandshakeInfo)
    /// The server answered with another status: its status line, for `-v` its headers and the start of its
    /// body, and for a redirect (3xx) the `Location` it names.
    case rejected(statusLine: String, details: [String], location: String?)
}
