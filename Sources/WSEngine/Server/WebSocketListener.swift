import NIOCore

/// A bound server socket that turns accepted connections into sessions.
///
/// Created by ``WebSocketServer/listen(_:group:)``; ``run(_:)`` accepts until ``close()``.
public struct WebSocketListener: Sendable {
    /// Where the listener is bound, as `host:port` (`[::1]:8080` for IPv6), with the real port when 0 was
    /// asked for.
    public let localAddress: String
    /// Each accepted connection arrives as the future outcome of its opening handshake.
    /// `nil` for one that is not worth a report (one more of a burst of connections turned away).
    private let channel: NIOAsyncChannel<EventLoopFuture<IncomingConnection?>, Never>
    private let pendingHandshakes: PendingHandshakes

    init(channel: NIOAsyncChannel<EventLoopFuture<IncomingConnection?>, Never>, pendingHandshakes: PendingHandshakes) {
        self.channel = channel
        self.pendingHandshakes = pendingHandshakes
        self.localAddress = channel.channel.localAddress.map(Self.describe) ?? "?"
    }

    /// Accepts connections and runs `handle` for each, concurrently, until ``close()``; returns once the
    /// listener is closed and every `handle` has returned.
    public func run(_ handle: @escaping @Sendable (IncomingConnection) async -> Void) async throws {
        try await withThrowingDiscardingTaskGroup { group in
            try await self.channel.executeThenClose { inbound in
                for try await upgrade in inbound {
                    group.addTask {
                        // The outcome future turns its errors into `.refused` already.
                        let connection: IncomingConnection?? = try? await upgrade.get()
                        switch connection {
                        case .some(.some(let connection)):
                            await handle(connection)
                        case .some(.none):
                            break
                        case .none:
                            await handle(.refused(peer: "unknown peer", reason: "the handshake failed"))
                        }
                    }
                }
            }
        }
    }

    /// Stops accepting and drops connections still in their opening handshake; sessions already open go
    /// on.
    public func close() {
        self.channel.channel.close(promise: nil)
        self.pendingHandshakes.closeAll()
    }

    /// `127.0.0.1:8080`, `[::1]:8080`.
    static func describe(_ address: SocketAddress) -> String {
        let host = address.ipAddress ?? "?"
        let port = address.port.map(String.init) ?? "?"
        return "\(URLAuthority.bracketed(host)):\(port)"
    }
}

/// A connection a listener accepted: an open session, or a request it refused.
public enum IncomingConnection: Sendable {
    /// The client completed the opening handshake; `peer` is its address, such as `127.0.0.1:52144`.
    case session(WebSocketConnection, peer: String)
    /// The client sent something other than a valid WebSocket upgrade request and was answered with an
    /// HTTP error, or went away during the handshake.
    case refused(peer: String, reason: String)
}
