import NIOCore

/// The proxy part of a connection's pipeline: first in it, the handler that asks the proxy for a tunnel to
/// the server; everything behind it (TLS, the upgrade) waits for the tunnel and then runs through it.
struct ProxyLayer: Sendable {
    let proxy: ProxyConfiguration
    /// The server's URL: where the tunnel goes.
    let url: WebSocketURL

    /// Adds the proxy's handler to a channel that is not active yet.
    func install(on channel: any Channel) throws {
        let handler: any ChannelHandler =
            switch self.proxy.kind {
            case .httpConnect:
                ProxyTunnelHandler(HTTPConnectNegotiation(proxy: self.proxy, target: self.url.hostAndPort))
            case .socks5:
                ProxyTunnelHandler(SOCKS5Negotiation(proxy: self.proxy, server: self.url))
            }
        try channel.pipeline.syncOperations.addHandler(handler)
    }
}
