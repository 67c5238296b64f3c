import NIOCore

/// How the HTTP upgrade ended.
enum UpgradeOutcome: Sendable {
    /// The server switched to WebSocket; the session runs on this channel.
    case upgraded(NIOAsyncChannel<[SessionEvent], Never>, HandshakeInfo)
    /// The server answered with another status: its status line and, for `-v`, headers and body start.
    case rejected(statusLine: String, details: [String])
}
