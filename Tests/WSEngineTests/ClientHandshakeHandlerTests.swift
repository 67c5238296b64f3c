import NIOCore
import NIOEmbedded
import NIOHTTP1
import NIOWebSocket
import XCTest

@testable import WSEngine

/// The client's opening handshake on an embedded channel: the request on the wire, and every byte behind a
/// 101 (and the end of the stream) reaching the session, whatever the packet boundaries.
final class ClientHandshakeHandlerTests: XCTestCase {
    /// RFC 6455 section 1.3's example key and its accept value.
    private static let key = "dGhlIHNhbXBsZSBub25jZQ=="
    private static let switching = Array(
        ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n").utf8
    )
    private static let hello: [UInt8] = [0x81, 0x05] + Array("hello".utf8)
    private static let world: [UInt8] = [0x82, 0x03, 1, 2, 3]
    private static let close4001: [UInt8] = [0x88, 0x02, 0x0F, 0xA1]

    private struct Handshake {
        let channel: EmbeddedChannel
        let outcome: EventLoopFuture<UpgradeOutcome>
    }

    /// A channel with the handshake handler whose session is the real frame decoder and session handler
    /// (without the async bridge, so the test reads its events directly).
    private func start() throws -> Handshake {
        let channel = EmbeddedChannel()
        let request = HTTPRequestHead(
            version: .http1_1,
            method: .GET,
            uri: "/chat",
            headers: ["Host": "example.com"]
        )
        let handler = ClientHandshakeHandler(request: request, key: Self.key) { channel, _, _ in
            try channel.pipeline.syncOperations.addHandlers(
                ByteToMessageHandler(WebSocketFrameDecoder(maxFrameSize: 1 << 20)),
                WebSocketSessionHandler(configuration: SessionConfiguration(role: .client, maxMessageSize: 1 << 20))
            )
            return .rejected(Refusal(statusLine: "session installed", status: 0, details: []))
        }
        try channel.pipeline.syncOperations.addHandler(handler)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        return Handshake(channel: channel, outcome: handler.outcome)
    }

    /// The session's events so far: messages as `text hello` or `binary 010203`, then `closed <code>`.
    private func events(_ channel: EmbeddedChannel) throws -> [String] {
        var events: [String] = []
        while let burst = try channel.readInbound(as: [SessionEvent].self) {
            for event in burst {
                switch event {
                case .text(let payload): events.append("text \(String(buffer: payload))")
                case .binary(let payload):
                    events.append("binary \(payload.readableBytesView.map { String($0) }.joined(separator: " "))")
                case .closed(let report): events.append("closed \(report.code.rawValue)")
                case .ping, .pong, .idle: break
                }
            }
        }
        return events
    }

    func testTheRequestGoesOutOnceTheChannelIsActive() throws {
        let handshake = try self.start()
        defer { _ = try? handshake.channel.finish() }
        let request = try XCTUnwrap(handshake.channel.readOutbound(as: ByteBuffer.self))
        XCTAssertEqual(
            String(buffer: request),
            "GET /chat HTTP/1.1\r\nHost: example.com\r\nConnection: upgrade\r\nUpgrade: websocket\r\n"
                + "Sec-WebSocket-Key: \(Self.key)\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        XCTAssertNil(try handshake.channel.readOutbound(as: ByteBuffer.self))
    }

    /// Each scenario is split at every byte and fed in two reads, then the server hangs up: the session sees
    /// every frame and the right end, every time.
    func testEveryByteBehindThe101ReachesTheSessionAtEverySplitPoint() throws {
        let scenarios: [(name: String, bytes: [UInt8], expected: [String])] = [
            (
                "frames then FIN", Self.switching + Self.hello + Self.world,
                ["text hello", "binary 1 2 3", "closed 1006"]
            ),
            ("frames, Close, FIN", Self.switching + Self.hello + Self.close4001, ["text hello", "closed 4001"]),
            ("FIN right after the 101", Self.switching, ["closed 1006"]),
            ("half a frame, FIN", Self.switching + Self.hello.prefix(4), ["closed 1006"]),
        ]
        for scenario in scenarios {
            for split in 0...scenario.bytes.count {
                let handshake = try self.start()
                defer { _ = try? handshake.channel.finish() }
                _ = try handshake.channel.readOutbound(as: ByteBuffer.self)
                try handshake.channel.writeInbound(ByteBuffer(bytes: scenario.bytes[..<split]))
                try handshake.channel.writeInbound(ByteBuffer(bytes: scenario.bytes[split...]))
                handshake.channel.pipeline.fireChannelInactive()
                let context = "\(scenario.name), split at \(split)"
                XCTAssertEqual(
                    try handshake.outcome.wait().statusLineForTest,
                    "session installed",
                    context
                )
                XCTAssertEqual(try self.events(handshake.channel), scenario.expected, context)
            }
        }
    }

    func testARefusalIsReportedWithItsHeadAndTheStartOfItsBody() throws {
        let handshake = try self.start()
        defer { _ = try? handshake.channel.finish() }
        let refusal =
            "HTTP/1.1 302 Found\r\nLocation: /elsewhere\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
        try handshake.channel.writeInbound(ByteBuffer(string: refusal))
        guard case .rejected(let refusal) = try handshake.outcome.wait() else {
            return XCTFail("not a refusal")
        }
        let (status, details, location) = (refusal.statusLine, refusal.details, refusal.location)
        XCTAssertEqual(status, "HTTP/1.1 302 Found")
        XCTAssertEqual(refusal.status, 302)
        XCTAssertEqual(details, ["Location: /elsewhere", "Transfer-Encoding: chunked", "", "hello world"])
        XCTAssertEqual(location, "/elsewhere")
    }

    func testAnAnswerThatIsNotHTTPFailsTheHandshake() throws {
        for answer in ["SSH-2.0-OpenSSH_9.2\r\n\r\n", "HTTP/1.1 101 OK\r\nno colon here\r\n\r\n"] {
            let handshake = try self.start()
            defer { _ = try? handshake.channel.finish() }
            try handshake.channel.writeInbound(ByteBuffer(string: answer))
            XCTAssertThrowsError(try handshake.outcome.wait(), answer) { error in
                XCTAssertEqual((error as? WebSocketClientError)?.category, .handshakeRejected, answer)
            }
        }
    }

    func testAWrongAcceptKeyFailsTheHandshake() throws {
        let handshake = try self.start()
        defer { _ = try? handshake.channel.finish() }
        let answer =
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: AAAAAAAAAAAAAAAAAAAAAAAAAAA=\r\n\r\n"
        try handshake.channel.writeInbound(ByteBuffer(string: answer))
        XCTAssertThrowsError(try handshake.outcome.wait()) { error in
            XCTAssertTrue("\(error)".contains("Sec-WebSocket-Accept does not match"), "\(error)")
        }
    }

    func testTheEndOfTheStreamBeforeAHeadFailsTheHandshake() throws {
        let handshake = try self.start()
        defer { _ = try? handshake.channel.finish() }
        try handshake.channel.writeInbound(ByteBuffer(string: "HTTP/1.1 101 Switching"))
        handshake.channel.pipeline.fireChannelInactive()
        XCTAssertThrowsError(try handshake.outcome.wait()) { error in
            XCTAssertEqual(error as? ChannelError, .eof)
        }
    }

    func testRetryAfterOfA503InSecondsOrAsADate() throws {
        let handshake = try self.start()
        defer { _ = try? handshake.channel.finish() }
        let busy = "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 7\r\nContent-Length: 0\r\n\r\n"
        try handshake.channel.writeInbound(ByteBuffer(string: busy))
        guard case .rejected(let refusal) = try handshake.outcome.wait() else {
            return XCTFail("not a refusal")
        }
        XCTAssertEqual(refusal.status, 503)
        XCTAssertEqual(refusal.retryAfter, .seconds(7))
        func head(_ status: HTTPResponseStatus, _ value: String) -> HTTPResponseHead {
            HTTPResponseHead(version: .http1_1, status: status, headers: ["Retry-After": value])
        }
        // Sun, 06 Nov 1994 08:49:37 GMT is 784111777 seconds after the epoch.
        XCTAssertEqual(
            HandshakeValidation.retryAfter(head(.tooManyRequests, "Sun, 06 Nov 1994 08:49:37 GMT"), now: 784_111_770),
            .seconds(7)
        )
        XCTAssertEqual(
            HandshakeValidation.retryAfter(
                head(.serviceUnavailable, "Sun, 06 Nov 1994 08:49:37 GMT"),
                now: 784_111_800
            ),
            .zero
        )
        XCTAssertNil(HandshakeValidation.retryAfter(head(.forbidden, "7")), "only 429 and 503")
        XCTAssertNil(HandshakeValidation.retryAfter(head(.serviceUnavailable, "soon")))
        XCTAssertEqual(
            HandshakeValidation.retryAfter(head(.serviceUnavailable, "99999999")),
            .seconds(86_400),
            "a day at most"
        )
    }
}

extension UpgradeOutcome {
    fileprivate var statusLineForTest: String? {
        if case .rejected(let refusal) = self { refusal.statusLine } else { nil }
    }
}
