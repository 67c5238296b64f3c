import NIOCore
import NIOEmbedded
import NIOWebSocket
import XCTest

@testable import WSEngine

/// The session handler behind NIO's real frame codec, fed wire bytes and checked byte for byte.
final class WebSocketSessionHandlerTests: XCTestCase {
    private var channel: EmbeddedChannel!

    override func setUpWithError() throws {
        self.channel = EmbeddedChannel()
        try self.channel.pipeline.syncOperations.addHandlers(
            ByteToMessageHandler(WebSocketFrameDecoder(maxFrameSize: 1 << 20)),
            WebSocketSessionHandler(configuration: SessionConfiguration(role: .client, maxMessageSize: 1 << 20))
        )
        try self.channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
    }

    override func tearDown() {
        _ = try? self.channel.finish()
    }

    private func receive(_ bytes: [UInt8]) throws {
        try self.channel.writeInbound(ByteBuffer(bytes: bytes))
    }

    private func events() throws -> [SessionEvent] {
        var events: [SessionEvent] = []
        while let burst = try self.channel.readInbound(as: [SessionEvent].self) {
            events += burst
        }
        return events
    }

    /// All bytes written so far, with client masking removed, as (opcode byte, payload) frames.
    private func sentFrames() throws -> [(UInt8, [UInt8])] {
        var bytes: [UInt8] = []
        while let buffer = try self.channel.readOutbound(as: ByteBuffer.self) {
            bytes += buffer.readableBytesView
        }
        var frames: [(UInt8, [UInt8])] = []
        var index = 0
        while index < bytes.count {
            let first = bytes[index]
            XCTAssertEqual(bytes[index + 1] & 0x80, 0x80, "client frames are masked")
            var length = Int(bytes[index + 1] & 0x7F)
            index += 2
            if length == 126 {
                length = Int(bytes[index]) << 8 | Int(bytes[index + 1])
                index += 2
            }
            let mask = Array(bytes[index..<index + 4])
            index += 4
            let payload = (0..<length).map { bytes[index + $0] ^ mask[$0 % 4] }
            index += length
            frames.append((first, payload))
        }
        return frames
    }

    func testRFC6455SingleFrameUnmaskedTextMessage() throws {
        try self.receive([0x81, 0x05, 0x48, 0x65, 0x6C, 0x6C, 0x6F])
        let events = try self.events()
        XCTAssertEqual(events.count, 2)
        guard case .text(let payload) = events.first, case .idle = events.last else { return XCTFail("\(events)") }
        XCTAssertEqual(String(buffer: payload), "Hello")
    }

    func testRFC6455FragmentedTextMessage() throws {
        try self.receive([0x01, 0x03, 0x48, 0x65, 0x6C, 0x80, 0x02, 0x6C, 0x6F])
        guard case .text(let payload) = try self.events().first else { return XCTFail() }
        XCTAssertEqual(String(buffer: payload), "Hello")
    }

    func testRFC6455PingIsAnsweredWithTheSamePayload() throws {
        try self.receive([0x89, 0x05, 0x48, 0x65, 0x6C, 0x6C, 0x6F])
        let frames = try self.sentFrames()
        XCTAssertEqual(frames.count, 1)
        XCTAssertEqual(frames.first?.0, 0x8A)
        XCTAssertEqual(frames.first?.1, Array("Hello".utf8))
        guard case .ping = try self.events().first else { return XCTFail() }
    }

    func testOutgoingMessagesAreMaskedFrames() throws {
        try self.channel.writeOutbound(OutboundBatch(commands: [.text(ByteBuffer(string: "Hello"))]))
        try self.channel.writeOutbound(OutboundBatch(commands: [.binary(ByteBuffer(bytes: [1, 2, 3]))]))
        try self.channel.writeOutbound(OutboundBatch(commands: [.ping(ByteBuffer(string: "p"))]))
        let frames = try self.sentFrames()
        XCTAssertEqual(frames.map(\.0), [0x81, 0x82, 0x89])
        XCTAssertEqual(frames.map(\.1), [Array("Hello".utf8), [1, 2, 3], Array("p".utf8)])
    }

    func testServerCloseIsAnsweredThenTheChannelCloses() throws {
        try self.receive([0x88, 0x05, 0x0F, 0xA0, 0x62, 0x79, 0x65])
        XCTAssertEqual(try self.sentFrames().first.map { [$0.0] + $0.1 }, [0x88, 0x0F, 0xA0])
        guard case .closed(let report) = try self.events().first else { return XCTFail() }
        XCTAssertEqual(report, CloseReport(initiator: .remote, code: CloseCode(4000), reason: "bye"))
        XCTAssertFalse(self.channel.isActive)
    }

    func testProtocolErrorIsReportedAtOnceAndItsCloseGoesWhenTheFrontEndIsDone() throws {
        try self.receive([0x81, 0x02, 0xC3, 0x28])
        guard case .closed(let report) = try self.events().first else { return XCTFail() }
        XCTAssertEqual(report.violation?.closeCode, .invalidPayloadData)
        XCTAssertTrue(try self.sentFrames().isEmpty, "the front end may still answer what came before")
        self.channel.close(promise: nil)
        XCTAssertEqual(try self.sentFrames().first.map { [$0.0] + $0.1 }, [0x88, 0x03, 0xEF])
        XCTAssertFalse(self.channel.isActive)
    }

    func testProtocolErrorsCloseGoesAfterTheCloseTimeoutWhenTheFrontEndDoesNotEnd() throws {
        try self.receive([0x81, 0x02, 0xC3, 0x28])
        self.channel.embeddedEventLoop.advanceTime(by: .seconds(4))
        XCTAssertTrue(try self.sentFrames().isEmpty)
        self.channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        XCTAssertEqual(try self.sentFrames().first.map { [$0.0] + $0.1 }, [0x88, 0x03, 0xEF])
        XCTAssertFalse(self.channel.isActive)
    }

    /// A valid message and a bad frame in one read: the message is delivered, and what the front end sends
    /// for it (an echo) goes out before the Close; nothing after the violation is delivered.
    func testMessagesBeforeAViolationAreDeliveredAndAnsweredBeforeTheClose() throws {
        try self.receive([0x81, 0x02, 0x68, 0x69, 0x83, 0x00, 0x81, 0x01, 0x78])
        let events = try self.events()
        XCTAssertEqual(events.count, 3, "\(events)")
        guard case .text(let text) = events.first, case .idle = events[1], case .closed(let report) = events.last
        else {
            return XCTFail("\(events)")
        }
        XCTAssertEqual(String(buffer: text), "hi")
        XCTAssertEqual(report.violation?.closeCode, .protocolError)
        try self.channel.writeOutbound(OutboundBatch(commands: [.text(text)]))
        self.channel.close(promise: nil)
        let frames = try self.sentFrames()
        XCTAssertEqual(frames.map { [$0.0] + $0.1 }, [[0x81] + Array("hi".utf8), [0x88, 0x03, 0xEA]])
    }

    func testDecoderLimitViolationBecomes1002ForLongControlFrames() throws {
        try self.receive([0x89, 0x7E, 0x00, 0x7E] + [UInt8](repeating: 0, count: 126))
        self.channel.close(promise: nil)
        XCTAssertEqual(try self.sentFrames().first.map { [$0.0] + $0.1 }, [0x88, 0x03, 0xEA])
    }

    func testOurCloseThenTheAnswerEndsTheSession() throws {
        try self.channel.writeOutbound(OutboundBatch(commands: [.close(.normalClosure, reason: "bye")]))
        XCTAssertEqual(try self.sentFrames().first.map { [$0.0] + $0.1 }, [0x88, 0x03, 0xE8] + Array("bye".utf8))
        try self.channel.writeOutbound(OutboundBatch(commands: [.text(ByteBuffer(string: "too late"))]))
        XCTAssertTrue(try self.sentFrames().isEmpty, "no data after our Close")
        try self.receive([0x88, 0x02, 0x03, 0xE8])
        guard case .closed(let report) = try self.events().first else { return XCTFail() }
        XCTAssertEqual(report, CloseReport(initiator: .local, code: .normalClosure, reason: "bye"))
    }

    func testLongCloseReasonIsCutAtACharacterBoundary() throws {
        try self.channel.writeOutbound(
            OutboundBatch(commands: [.close(.normalClosure, reason: String(repeating: "é", count: 100))])
        )
        let payload = try XCTUnwrap(try self.sentFrames().first?.1)
        XCTAssertEqual(payload.count, 2 + 122)
        XCTAssertNotNil(String(validating: payload.dropFirst(2), as: UTF8.self))
    }

    func testCloseTimesOutWhenThePeerStaysSilent() throws {
        try self.channel.writeOutbound(OutboundBatch(commands: [.close(.normalClosure, reason: "")]))
        self.channel.embeddedEventLoop.advanceTime(by: .seconds(4))
        try self.receive([0x81, 0x01, 0x61])
        self.channel.embeddedEventLoop.advanceTime(by: .seconds(4))
        XCTAssertTrue(self.channel.isActive, "a frame arrived 4 s ago, so the peer still has time")
        self.channel.embeddedEventLoop.advanceTime(by: .seconds(2))
        XCTAssertFalse(self.channel.isActive)
        let events = try self.events()
        guard case .closed(let report) = events.last else { return XCTFail("\(events)") }
        XCTAssertTrue(report.peerDidNotAnswer)
    }

    func testDroppedConnectionIsReportedAsAbnormal() throws {
        self.channel.pipeline.fireChannelInactive()
        guard case .closed(let report) = try self.events().first else { return XCTFail() }
        XCTAssertEqual(report.code, .abnormalClosure)
        XCTAssertEqual(report.initiator, .remote)
        XCTAssertNil(report.transportFailure, "a quiet hang-up has no cause to name")
    }

    func testTransportErrorClosesAndIsNamedInTheDropReport() throws {
        self.channel.pipeline.fireErrorCaught(IOError(errnoCode: ECONNRESET, reason: "read"))
        // A second error from the closing channel does not replace the first, which is the cause.
        self.channel.pipeline.fireErrorCaught(ChannelError.ioOnClosedChannel)
        XCTAssertFalse(self.channel.isActive)
        guard case .closed(let report) = try self.events().first else { return XCTFail() }
        XCTAssertEqual(report.code, .abnormalClosure)
        XCTAssertEqual(report.transportFailure, "connection reset by peer")
    }

    func testTransportErrorWhileOurCloseWaitsIsNamedToo() throws {
        try self.channel.writeOutbound(OutboundBatch(commands: [.close(.normalClosure, reason: "")]))
        self.channel.pipeline.fireErrorCaught(IOError(errnoCode: ECONNRESET, reason: "read"))
        guard case .closed(let report) = try self.events().last else { return XCTFail() }
        XCTAssertEqual(report, .resetWhileOurCloseWaited)
    }
}
