import NIOCore
import NIOEmbedded
import XCTest

@testable import WSEngine

/// The tunnel handler with HTTP `CONNECT` alone on an EmbeddedChannel, standing for the proxy's side of the
/// socket: writes held back, leftovers passed on, failures named. (SOCKS5's bytes: SOCKS5NegotiationTests.)
final class ProxyTunnelHandlerTests: XCTestCase {
    private var channel: EmbeddedChannel!

    override func setUpWithError() throws {
        let proxy = ProxyConfiguration(
            kind: .httpConnect,
            host: "127.0.0.1",
            port: 3128,
            credentials: BasicCredentials(user: "alice", password: "s3cret")
        )
        self.channel = EmbeddedChannel(
            handler: ProxyTunnelHandler(HTTPConnectNegotiation(proxy: proxy, target: "[::1]:8080"))
        )
        try self.channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 3128)).wait()
    }

    override func tearDown() {
        _ = try? self.channel.finish()
    }

    private func sent() throws -> String {
        var text = ""
        while let buffer = try self.channel.readOutbound(as: ByteBuffer.self) {
            text += String(buffer: buffer)
        }
        return text
    }

    func testRequestFirstThenWritesWaitForTheTunnel() throws {
        XCTAssertEqual(
            try self.sent(),
            "CONNECT [::1]:8080 HTTP/1.1\r\nHost: [::1]:8080\r\n"
                + "Proxy-Authorization: Basic YWxpY2U6czNjcmV0\r\n\r\n"
        )
        let write = self.channel.writeAndFlush(ByteBuffer(string: "GET / HTTP/1.1\r\n\r\n"))
        XCTAssertEqual(try self.sent(), "", "nothing for the server before the proxy says yes")
        try self.channel.writeInbound(ByteBuffer(string: "HTTP/1.1 200 Connection established\r\n"))
        try self.channel.writeInbound(ByteBuffer(string: "Via: test\r\n\r\nHTTP/1.1 101"))
        XCTAssertEqual(try self.sent(), "GET / HTTP/1.1\r\n\r\n")
        XCTAssertNoThrow(try write.wait(), "the waiting write completes once it is sent")
        XCTAssertEqual(
            try self.channel.readInbound(as: ByteBuffer.self).map { String(buffer: $0) },
            "HTTP/1.1 101",
            "the server's first bytes, behind the proxy's answer, are passed on"
        )
        XCTAssertThrowsError(
            try self.channel.pipeline.syncOperations.handler(type: ProxyTunnelHandler<HTTPConnectNegotiation>.self)
        )
    }

    func testRefusalFailsWaitingWritesAndClosesWithTheStatus() throws {
        _ = try self.sent()
        let write = self.channel.writeAndFlush(ByteBuffer(string: "hello"))
        XCTAssertThrowsError(
            try self.channel.writeInbound(ByteBuffer(string: "HTTP/1.1 403 Forbidden\r\nX: y\r\n\r\n"))
        ) { error in
            XCTAssertEqual(
                "\(error)",
                "the proxy http://127.0.0.1:3128 refused a tunnel to [::1]:8080: 403 Forbidden: "
                    + "check the proxy's credentials and rules"
            )
        }
        XCTAssertThrowsError(try write.wait(), "the waiting write fails with the refusal")
        XCTAssertFalse(self.channel.isActive)
        XCTAssertEqual(try self.sent(), "")
    }

    func testHangUpBeforeTheAnswerIsNamed() throws {
        self.channel.pipeline.fireChannelInactive()
        XCTAssertThrowsError(try self.channel.throwIfErrorCaught()) {
            XCTAssertEqual(
                "\($0)",
                "the proxy http://127.0.0.1:3128 closed the connection before answering CONNECT"
            )
        }
    }

    func testAnswerThatIsNotHTTPIsNamed() throws {
        XCTAssertThrowsError(try self.channel.writeInbound(ByteBuffer(bytes: [5, 0, 0, 0, 13, 10, 13, 10]))) {
            XCTAssertTrue("\($0)".contains("did not answer CONNECT with HTTP"), "\($0)")
        }
    }
}
