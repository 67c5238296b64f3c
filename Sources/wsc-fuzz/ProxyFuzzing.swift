#if DEBUG || FUZZING
    import NIOCore
    @testable import WSEngine

    /// A proxy's answers, split in reads: the negotiation ends at most once and never reads past what it
    /// was given.
    enum ProxyFuzzing {
        static func run(steer: UInt8, _ body: [UInt8]) {
            let server = try! WebSocketURL(parsing: "ws://example.com:8080/")
            let credentials = BasicCredentials(user: "user", password: "secret")
            var negotiation: any ProxyNegotiation =
                steer & 1 == 0
                ? SOCKS5Negotiation(
                    proxy: ProxyConfiguration(
                        kind: .socks5,
                        host: "127.0.0.1",
                        credentials: steer & 2 == 0 ? nil : credentials
                    ),
                    server: server
                )
                : HTTPConnectNegotiation(
                    proxy: ProxyConfiguration(
                        kind: .httpConnect,
                        host: "127.0.0.1",
                        port: 3128,
                        credentials: credentials
                    ),
                    target: server.hostAndPort
                )
            _ = negotiation.start()
            var buffer = ByteBuffer()
            for piece in pieces(body, size: Int(steer >> 2) + 1) {
                buffer.writeBytes(piece)
                let before = buffer.readableBytes
                switch negotiation.received(&buffer) {
                case .needMoreBytes, .send:
                    precondition(buffer.readableBytes <= before)
                case .established, .failed:
                    return
                }
            }
        }
    }
#endif
