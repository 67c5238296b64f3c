import NIOCore
import NIOSOCKS

/// The proxy part of a connection's pipeline: first in it, the handler that asks the proxy for a tunnel to
/// the server; everything behind it (TLS, the upgrade) waits for the tunnel and then runs through it.
struct ProxyLayer: Sendable {
    let proxy: ProxyConfiguration
    /// The server's URL: where the tunnel goes.
    let url: WebSocketURL

    /// Adds the proxy's handler to a channel that is not active yet.
    func install(on channel: any Channel) throws {
        let handler: any ChannelHandler
        switch self.proxy.kind {
        case .httpConnect:
            handler = HTTPConnectHandler(proxy: self.proxy, target: self.url.hostAndPort)
        case .socks5:
            let address =
                (try? SocketAddress(ipAddress: self.url.host, port: self.url.port)).map(SOCKSAddress.address)
                ?? .domain(self.url.host, port: self.url.port)
            handler = SOCKSClientHandler(targetAddress: address)
        }
        try channel.pipeline.syncOperations.addHandler(handler)
    }

    /// The proxy's refusal behind `error`, if the proxy explains it.
    func failure(explaining error: any Error) -> ProxyError? {
        switch error {
        case let error as ProxyError:
            return error
        case let error as SOCKSError.ConnectionFailed:
            return .socksFailed(proxy: self.proxy, target: self.url.hostAndPort, reason: Self.words(for: error.reply))
        case is SOCKSError.InvalidAuthenticationSelection, is SOCKSError.NoValidAuthenticationMethod:
            return .socksAuthenticationRequired(proxy: self.proxy)
        case is SOCKSError.InvalidProtocolVersion, is SOCKSError.InvalidReservedByte,
            is SOCKSError.InvalidAddressType, is SOCKSError.UnexpectedRead:
            return .notSOCKS(proxy: self.proxy)
        default:
            return nil
        }
    }

    /// RFC 1928 section 6's names for the replies.
    private static func words(for reply: SOCKSServerReply) -> String {
        switch reply {
        case .serverFailure: "general SOCKS server failure"
        case .notAllowed: "connection not allowed by its rules"
        case .networkUnreachable: "network unreachable"
        case .hostUnreachable: "host unreachable"
        case .refused: "connection refused"
        case .ttlExpired: "TTL expired"
        case .commandUnsupported: "command not supported"
        case .addressUnsupported: "address type not supported"
        default: "reply \(reply.value)"
        }
    }
}
