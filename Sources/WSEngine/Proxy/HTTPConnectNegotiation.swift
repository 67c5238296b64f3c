import NIOCore

/// A tunnel through an HTTP proxy: `CONNECT host:port` (RFC 9110 section 9.3.6), with `Proxy-Authorization:
/// Basic` when the proxy's URL has credentials; any 2xx answer opens it.
struct HTTPConnectNegotiation: ProxyNegotiation {
    /// A proxy's answer longer than this is not one wsc will wait for.
    private static let maximumResponseHeadSize = 16 * 1024

    private let proxy: ProxyConfiguration
    private let target: String

    /// A negotiation that asks `proxy` for a tunnel to `target`, the server's `host:port`
    /// (``WebSocketURL/hostAndPort``).
    init(proxy: ProxyConfiguration, target: String) {
        self.proxy = proxy
        self.target = target
    }

    func start() -> ByteBuffer {
        var request = "CONNECT \(self.target) HTTP/1.1\r\nHost: \(self.target)\r\n"
        if let credentials = self.proxy.credentials {
            request += "Proxy-Authorization: \(credentials.authorizationValue)\r\n"
        }
        request += "\r\n"
        return ByteBuffer(string: request)
    }

    func received(_ answer: inout ByteBuffer) -> ProxyNegotiationStep {
        let view = answer.readableBytesView
        guard let headEnd = view.firstRange(of: [13, 10, 13, 10]) else {
            return answer.readableBytes > Self.maximumResponseHeadSize
                ? .failed(.malformedAnswer(proxy: self.proxy)) : .needMoreBytes
        }
        // Only the status line matters: a 2xx opens the tunnel, and the headers of any answer are the proxy's.
        let statusLine = String(decoding: view[..<headEnd.lowerBound].prefix { $0 != 13 }, as: UTF8.self)
        answer.moveReaderIndex(to: headEnd.upperBound)
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else {
            return .failed(.malformedAnswer(proxy: self.proxy))
        }
        guard (200..<300).contains(status) else {
            return .failed(.refused(proxy: self.proxy, target: self.target, status: String(statusLine.dropFirst(9))))
        }
        return .established
    }

    var closedEarly: ProxyError {
        .closedBeforeAnswering(proxy: self.proxy)
    }
}
