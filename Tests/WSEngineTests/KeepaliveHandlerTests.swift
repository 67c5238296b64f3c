import NIOCore
import NIOEmbedded
import NIOWebSocket
import XCTest

@testable import WSEngine

/// Pings on a schedule, the silence that fails a connection, and the pongs kept from the front end; driven by
/// the embedded event loop's clock.
final class KeepaliveHandlerTests: XCTestCase {
    private var channel: EmbeddedChannel!
    private var errors: ErrorRecorder!

    override func tearDown() {
        _ = try? self.channel?.finish()
    }

    private func start(_ keepalive: Keepalive, role: SessionRole = .client) throws {
        self.channel = EmbeddedChannel()
        self.errors = ErrorRecorder()
        try self.channel.pipeline.syncOperations.addHandlers(KeepaliveHandler(keepalive, role: role), self.errors)
        try self.channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
    }

    private func advance(milliseconds: Int64) {
        self.channel.embeddedEventLoop.advanceTime(by: .milliseconds(milliseconds))
    }

    /// The pings written so far: (masked, payload as text).
    private func pings() throws -> [(masked: Bool, payload: String)] {
        var pings: [(Bool, String)] = []
        while var frame = try self.channel.readOutbound(as: ByteBuffer.self) {
            let bytes = frame.readBytes(length: frame.readableBytes)!
            XCTAssertEqual(bytes[0], 0x89, "FIN and the ping opcode")
            let masked = bytes[1] & 0x80 != 0
            let length = Int(bytes[1] & 0x7F)
            let mask = masked ? Array(bytes[2..<6]) : [0, 0, 0, 0]
            let payload = bytes[(masked ? 6 : 2)...].enumerated().map { $0.element ^ mask[$0.offset % 4] }
            XCTAssertEqual(payload.count, length)
            pings.append((masked, String(decoding: payload, as: UTF8.self)))
        }
        return pings
    }

    private func receive(_ opcode: WebSocketOpcode, _ text: String) throws {
        try self.channel.writeInbound(WebSocketFrame(fin: true, opcode: opcode, data: ByteBuffer(string: text)))
    }

    func testPingsGoOutEveryIntervalMaskedByAClient() throws {
        try self.start(Keepalive(interval: .milliseconds(100)))
        self.advance(milliseconds: 99)
        XCTAssertTrue(try self.pings().isEmpty, "the first ping waits one interval")
        self.advance(milliseconds: 1)
        self.advance(milliseconds: 200)
        let pings = try self.pings()
        // Each carries its number and the time it left, for the round trip of its answer.
        let words = pings.map { $0.payload.split(separator: " ") }
        XCTAssertEqual(
            words.map { $0.prefix(3).joined(separator: " ") },
            ["wsc keepalive 1", "wsc keepalive 2", "wsc keepalive 3"]
        )
        XCTAssertTrue(words.allSatisfy { $0.count == 4 && UInt64($0[3]) != nil }, "\(words)")
        XCTAssertEqual(pings.map(\.masked), [true, true, true])
    }

    func testAServerSendsItsPingsUnmasked() throws {
        try self.start(Keepalive(interval: .seconds(1)), role: .server)
        self.advance(milliseconds: 1000)
        XCTAssertEqual(try self.pings().map(\.masked), [false])
    }

    func testItsOwnPongsAreDroppedEveryOtherFramePassesOn() throws {
        try self.start(Keepalive(interval: .seconds(1)))
        try self.receive(.pong, "wsc keepalive 1")
        try self.receive(.pong, "the user's /ping")
        try self.receive(.text, "wsc keepalive 2")
        var passed: [String] = []
        while let frame = try self.channel.readInbound(as: WebSocketFrame.self) {
            passed.append("\(frame.opcode) \(String(buffer: frame.data))")
        }
        XCTAssertEqual(passed, ["\(WebSocketOpcode.pong) the user's /ping", "\(WebSocketOpcode.text) wsc keepalive 2"])
    }

    func testItsOwnPongsPassOnWhenReported() throws {
        try self.start(Keepalive(interval: .seconds(1), reportsPongs: true))
        try self.receive(.pong, "wsc keepalive 1 5")
        let frame = try XCTUnwrap(try self.channel.readInbound(as: WebSocketFrame.self))
        XCTAssertEqual(String(buffer: frame.data), "wsc keepalive 1 5")
    }

    func testSilenceAfterAPingFailsTheConnectionOnceAndStopsThePings() throws {
        try self.start(Keepalive(interval: .milliseconds(100), timeout: .milliseconds(250)))
        self.advance(milliseconds: 100)
        self.advance(milliseconds: 249)
        XCTAssertTrue(self.errors.descriptions.isEmpty, "pings at 100, 200 and 300 ms; the wait began at 100")
        self.advance(milliseconds: 1)
        XCTAssertEqual(
            self.errors.descriptions,
            ["nothing received for 0.25 seconds after a ping"]
        )
        XCTAssertEqual(try self.pings().count, 3)
        self.advance(milliseconds: 1000)
        XCTAssertEqual(try self.pings().count, 0, "no pings after the failure")
        XCTAssertEqual(self.errors.descriptions.count, 1)
    }

    func testAnyFrameAnswersAndTheWaitStartsAgainAtTheNextPing() throws {
        try self.start(Keepalive(interval: .milliseconds(100), timeout: .milliseconds(150)))
        self.advance(milliseconds: 100)
        self.advance(milliseconds: 100)
        try self.receive(.binary, "busy with data, the pong is queued behind it")
        self.advance(milliseconds: 100)
        XCTAssertTrue(self.errors.descriptions.isEmpty, "heard at 200 ms: the check at 250 ms lets it live")
        self.advance(milliseconds: 149)
        XCTAssertTrue(self.errors.descriptions.isEmpty, "the wait began with the ping at 300 ms")
        self.advance(milliseconds: 1)
        XCTAssertEqual(self.errors.descriptions.count, 1)
    }

    func testWithoutATimeoutSilenceIsAllowed() throws {
        try self.start(Keepalive(interval: .milliseconds(100)))
        self.advance(milliseconds: 10_000)
        XCTAssertEqual(try self.pings().count, 100)
        XCTAssertTrue(self.errors.descriptions.isEmpty)
    }

    func testTheSessionReportsTheSilenceAsTheCauseOfTheDrop() throws {
        self.channel = EmbeddedChannel()
        try self.channel.pipeline.syncOperations.addHandlers(
            KeepaliveHandler(Keepalive(interval: .seconds(1), timeout: .seconds(2)), role: .client),
            WebSocketSessionHandler(configuration: SessionConfiguration(role: .client, maxMessageSize: 1 << 20))
        )
        try self.channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        self.advance(milliseconds: 3000)
        var reports: [CloseReport] = []
        while let burst = try self.channel.readInbound(as: [SessionEvent].self) {
            for case .closed(let report) in burst {
                reports.append(report)
            }
        }
        XCTAssertEqual(reports.map(\.code), [.abnormalClosure])
        XCTAssertEqual(
            reports.first?.transportFailure,
            "nothing received for 2.0 seconds after a ping"
        )
        XCTAssertFalse(self.channel.isActive)
    }
}

/// Keeps the descriptions of the errors that reach the end of the pipeline.
private final class ErrorRecorder: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias InboundOut = WebSocketFrame

    private(set) var descriptions: [String] = []

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.descriptions.append(String(describing: error))
    }
}
