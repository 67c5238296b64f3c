import NIOCore
import NIOEmbedded
import XCTest

@testable import WSEngine

/// SOCKS5 byte for byte (RFC 1928 sections 3-6, RFC 1929 section 2), then once through the tunnel handler.
final class SOCKS5NegotiationTests: XCTestCase {
    private func negotiation(_ proxyURL: String, to server: String) throws -> SOCKS5Negotiation {
        SOCKS5Negotiation(proxy: try ProxyConfiguration(parsing: proxyURL), server: try WebSocketURL(parsing: server))
    }

    /// Feeds `bytes` and returns the step with the bytes it left unread.
    private func step(
        _ negotiation: inout SOCKS5Negotiation,
        _ bytes: [UInt8]
    ) -> (step: ProxyNegotiationStep, rest: [UInt8]) {
        var answer = ByteBuffer(bytes: bytes)
        let step = negotiation.received(&answer)
        return (step, Array(answer.readableBytesView))
    }

    private func sent(_ step: ProxyNegotiationStep) -> [UInt8]? {
        guard case .send(let bytes) = step else {
            return nil
        }
        return Array(bytes.readableBytesView)
    }

    private func failure(_ step: ProxyNegotiationStep) -> String? {
        guard case .failed(let error) = step else {
            return nil
        }
        return error.description
    }

    func testWithoutCredentialsOnlyNoAuthenticationIsOfferedAndAHostNameGoesToTheProxy() throws {
        var socks = try self.negotiation("socks5h://127.0.0.1:1080", to: "ws://example.com:8080/")
        XCTAssertEqual(Array(socks.start().readableBytesView), [5, 1, 0])
        XCTAssertEqual(
            self.sent(self.step(&socks, [5, 0]).step),
            [5, 1, 0, 3, 11] + Array("example.com".utf8) + [0x1F, 0x90]
        )
        let reply = self.step(&socks, [5, 0, 0, 1, 10, 0, 0, 1, 0x04, 0x38] + Array("HTTP/1.1 101".utf8))
        guard case .established = reply.step else {
            return XCTFail("\(reply.step)")
        }
        XCTAssertEqual(reply.rest, Array("HTTP/1.1 101".utf8), "the server's first bytes are left for it")
    }

    func testCredentialsAreOfferedAndSentAsRFC1929Says() throws {
        var socks = try self.negotiation("socks5h://alice:s3cret@127.0.0.1", to: "ws://127.0.0.1:80/")
        XCTAssertEqual(Array(socks.start().readableBytesView), [5, 2, 0, 2])
        XCTAssertEqual(
            self.sent(self.step(&socks, [5, 2]).step),
            [1, 5] + Array("alice".utf8) + [6] + Array("s3cret".utf8)
        )
        XCTAssertEqual(self.sent(self.step(&socks, [1, 0]).step), [5, 1, 0, 1, 127, 0, 0, 1, 0, 80])
    }

    func testAProxyThatNeedsNoLoginSkipsIt() throws {
        var socks = try self.negotiation("socks5h://alice:s3cret@127.0.0.1", to: "ws://[::1]:443/")
        _ = socks.start()
        XCTAssertEqual(
            self.sent(self.step(&socks, [5, 0]).step),
            [5, 1, 0, 4] + [UInt8](repeating: 0, count: 15) + [1, 1, 0xBB]
        )
    }

    func testRepliesArriveInPieces() throws {
        var socks = try self.negotiation("socks5h://127.0.0.1", to: "ws://h:1/")
        _ = socks.start()
        guard case .needMoreBytes = self.step(&socks, [5]).step else {
            return XCTFail("one byte of the method reply")
        }
        XCTAssertNotNil(self.sent(self.step(&socks, [5, 0]).step))
        // A bound address given as a name: its length byte says how much more to wait for.
        guard case .needMoreBytes = self.step(&socks, [5, 0, 0, 3, 4, 0x68, 0x6F]).step else {
            return XCTFail("a reply cut inside its address")
        }
        let whole = self.step(&socks, [5, 0, 0, 3, 4, 0x68, 0x6F, 0x73, 0x74, 0, 80])
        guard case .established = whole.step else {
            return XCTFail("\(whole.step)")
        }
        XCTAssertEqual(whole.rest, [])
    }

    func testRefusalsAreNamed() throws {
        let cases: [(proxy: String, answers: [[UInt8]], message: String)] = [
            ("socks5h://127.0.0.1", [[5, 0xFF]], "requires a user name and password: give them in its URL"),
            ("socks5h://a:b@127.0.0.1", [[5, 0xFF]], "accepts neither of wsc's login methods"),
            ("socks5h://a:b@127.0.0.1", [[5, 2], [1, 1]], "refused the user name and password"),
            ("socks5h://127.0.0.1", [[5, 2]], "did not answer as a SOCKS5 proxy"),
            ("socks5h://127.0.0.1", [[4, 0]], "did not answer as a SOCKS5 proxy"),
            (
                "socks5h://127.0.0.1", [[5, 0], [5, 5, 0, 1, 0, 0, 0, 0, 0, 0]],
                "could not connect to h:1: connection refused"
            ),
            ("socks5h://127.0.0.1", [[5, 0], [5, 2, 0, 1, 0, 0, 0, 0, 0, 0]], "connection not allowed by its rules"),
            ("socks5h://127.0.0.1", [[5, 0], [5, 0, 0, 9, 0]], "did not answer as a SOCKS5 proxy"),
        ]
        for (proxy, answers, message) in cases {
            var socks = try self.negotiation(proxy, to: "ws://h:1/")
            _ = socks.start()
            var last = ProxyNegotiationStep.needMoreBytes
            for answer in answers {
                last = self.step(&socks, answer).step
            }
            let description = self.failure(last) ?? "no failure: \(last)"
            XCTAssertTrue(description.contains(message), "\(proxy) \(answers): \(description)")
        }
    }

    func testTheTunnelHandlerRunsTheWholeExchange() throws {
        let socks = try self.negotiation("socks5h://u:p@10.0.0.1", to: "ws://h:1/")
        let channel = EmbeddedChannel(handler: ProxyTunnelHandler(socks))
        defer { _ = try? channel.finish() }
        try channel.connect(to: SocketAddress(ipAddress: "10.0.0.1", port: 1080)).wait()
        let request = channel.writeAndFlush(ByteBuffer(string: "GET /"))
        var sent: [[UInt8]] = []
        func takeSent() throws {
            while let buffer = try channel.readOutbound(as: ByteBuffer.self) {
                sent.append(Array(buffer.readableBytesView))
            }
        }
        try channel.writeInbound(ByteBuffer(bytes: [5, 2]))
        try channel.writeInbound(ByteBuffer(bytes: [1, 0]))
        try takeSent()
        XCTAssertEqual(sent, [[5, 2, 0, 2], [1, 1, 0x75, 1, 0x70], [5, 1, 0, 3, 1, 0x68, 0, 1]])
        try channel.writeInbound(ByteBuffer(bytes: [5, 0, 0, 1, 0, 0, 0, 0, 0, 0] + Array("101".utf8)))
        sent = []
        try takeSent()
        XCTAssertEqual(sent, [Array("GET /".utf8)], "the held write goes out once the tunnel is open")
        XCTAssertNoThrow(try request.wait())
        XCTAssertEqual(try channel.readInbound(as: ByteBuffer.self).map { String(buffer: $0) }, "101")
    }

    func testHangUpBeforeTheTunnelIsNamed() throws {
        let channel = EmbeddedChannel(
            handler: ProxyTunnelHandler(try self.negotiation("socks5h://10.0.0.1", to: "ws://h:1/"))
        )
        try channel.connect(to: SocketAddress(ipAddress: "10.0.0.1", port: 1080)).wait()
        try channel.writeInbound(ByteBuffer(bytes: [5, 0]))
        channel.pipeline.fireChannelInactive()
        XCTAssertThrowsError(try channel.throwIfErrorCaught()) {
            XCTAssertEqual(
                "\($0)",
                "the SOCKS proxy socks5h://10.0.0.1:1080 closed the connection before opening the tunnel"
            )
        }
        _ = try? channel.finish()
    }
}
