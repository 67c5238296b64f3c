import NIOCore
import NIOEmbedded
import NIOHTTP1
import NIOWebSocket
import XCTest

@testable import WSEngine

/// The server's opening handshake on an embedded channel (`--listen`): RFC 6455 section 4.2.1's checks, the
/// 101 on the wire, and a client's first frames, sent with its request, reaching the session at every split.
final class ServerHandshakeHandlerTests: XCTestCase {
    private static let request =
        "GET /chat HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
    /// A masked "Hello" (RFC 6455 section 5.7), then a masked Close 1000 with mask 0.
    private static let hello: [UInt8] = [0x81, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58]
    private static let close: [UInt8] = [0x88, 0x82, 0, 0, 0, 0, 0x03, 0xE8]

    private struct Handshake {
        let channel: EmbeddedChannel
        let outcome: EventLoopFuture<IncomingConnection>
    }

    private func start() throws -> Handshake {
        let channel = EmbeddedChannel()
        let handler = ServerHandshakeHandler(peer: "test peer", timeout: .seconds(10)) { _ in
            (
                ["Sec-WebSocket-Protocol": "chat"],
                { channel in
                    try channel.pipeline.syncOperations.addHandlers(
                        ByteToMessageHandler(WebSocketFrameDecoder(maxFrameSize: 1 << 20)),
                        WebSocketSessionHandler(
                            configuration: SessionConfiguration(role: .server, maxMessageSize: 1 << 20)
                        )
                    )
                    return .refused(peer: "test peer", reason: "session installed")
                }
            )
        }
        try channel.pipeline.syncOperations.addHandler(handler)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        return Handshake(channel: channel, outcome: handler.outcome)
    }

    private func reason(_ handshake: Handshake) throws -> String? {
        guard case .refused(_, let reason) = try handshake.outcome.wait() else { return nil }
        return reason
    }

    private func written(_ channel: EmbeddedChannel) throws -> String {
        var text = ""
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) {
            text += String(buffer: buffer)
        }
        return text
    }

    func testAValidRequestIsAnsweredWithTheAcceptOfRFC6455() throws {
        let handshake = try self.start()
        defer { _ = try? handshake.channel.finish() }
        try handshake.channel.writeInbound(ByteBuffer(string: Self.request))
        XCTAssertEqual(try self.reason(handshake), "session installed")
        XCTAssertEqual(
            try self.written(handshake.channel),
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: chat\r\n\r\n"
        )
    }

    func testFramesSentWithTheRequestReachTheSessionAtEverySplitPoint() throws {
        let bytes = Array(Self.request.utf8) + Self.hello + Self.close
        for split in 0...bytes.count {
            let handshake = try self.start()
            defer { _ = try? handshake.channel.finish() }
            try handshake.channel.writeInbound(ByteBuffer(bytes: bytes[..<split]))
            try handshake.channel.writeInbound(ByteBuffer(bytes: bytes[split...]))
            handshake.channel.pipeline.fireChannelInactive()
            XCTAssertEqual(try self.reason(handshake), "session installed", "split at \(split)")
            var texts: [String] = []
            var closeCode: UInt16?
            while let burst = try handshake.channel.readInbound(as: [SessionEvent].self) {
                for event in burst {
                    switch event {
                    case .text(let payload): texts.append(String(buffer: payload))
                    case .closed(let report): closeCode = report.code.rawValue
                    case .binary, .ping, .pong, .idle: break
                    }
                }
            }
            XCTAssertEqual(texts, ["Hello"], "split at \(split)")
            XCTAssertEqual(closeCode, 1000, "split at \(split)")
        }
    }

    /// Requests that break RFC 6455 section 4.2.1 are answered with an error status, never 101.
    func testInvalidRequestsAreRefusedWithTheirCause() throws {
        let valid = Self.request
        let cases: [(String, String, String)] = [
            (valid.replacingFirst("GET", with: "POST"), "400", "method POST"),
            (valid.replacingFirst("HTTP/1.1", with: "HTTP/1.0"), "400", "HTTP/1.0"),
            (valid.replacingFirst("dGhlIHNhbXBsZSBub25jZQ==", with: "c2hvcnQ="), "400", "not 16 bytes"),
            (valid.replacingFirst("Connection: Upgrade", with: "Connection: keep-alive"), "400", "Connection"),
            (valid.replacingFirst("Host: server.example.com\r\n", with: ""), "400", "without Host"),
            (valid.replacingFirst("Version: 13", with: "Version: 8"), "426", "version is not 13"),
            ("GET / HTTP/1.1\r\nHost: x\r\n\r\n", "426", "not a WebSocket upgrade request"),
            ("GET / HTTP/1.1\r\nno colon\r\n\r\n", "400", "not valid HTTP"),
        ]
        for (request, status, cause) in cases {
            let handshake = try self.start()
            defer { _ = try? handshake.channel.finish() }
            try handshake.channel.writeInbound(ByteBuffer(string: request))
            let reason = try XCTUnwrap(try self.reason(handshake))
            XCTAssertTrue(reason.contains(cause) && reason.hasSuffix("answered \(status)"), reason)
            let answer = try self.written(handshake.channel)
            XCTAssertTrue(answer.hasPrefix("HTTP/1.1 \(status) "), answer)
            XCTAssertTrue(answer.contains("Sec-WebSocket-Version: 13\r\n"), answer)
            XCTAssertFalse(handshake.channel.isActive, "closed after the answer")
        }
    }

    func testAClientThatSendsNoRequestIsDroppedAfterTheTimeout() throws {
        let handshake = try self.start()
        defer { _ = try? handshake.channel.finish() }
        try handshake.channel.writeInbound(ByteBuffer(string: "GET / HTTP/1.1\r\n"))
        handshake.channel.embeddedEventLoop.advanceTime(by: .seconds(10))
        XCTAssertEqual(try self.reason(handshake), "sent no complete upgrade request within 10.0 s")
        XCTAssertFalse(handshake.channel.isActive)
    }
}

extension String {
    fileprivate func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = self.range(of: target) else { return self }
        return self.replacingCharacters(in: range, with: replacement)
    }
}
