import NIOCore
import NIOEmbedded
import NIOWebSocket
import WSDeflate
import XCTest

@testable import WSEngine

/// The session handler in the server role and with permessage-deflate, behind NIO's frame decoder, fed
/// wire bytes (RFC 6455 section 5.7 and RFC 7692 section 7.2.3 examples) and checked byte for byte.
final class SessionHandlerRoleAndCompressionTests: XCTestCase {
    private var channel: EmbeddedChannel!

    override func tearDown() {
        _ = try? self.channel?.finish()
    }

    private func start(_ role: SessionRole, compressed: Bool) throws {
        self.channel = EmbeddedChannel()
        let compression =
            try compressed ? MessageCompression(parameters: PerMessageDeflateParameters(), role: role) : nil
        try self.channel.pipeline.syncOperations.addHandlers(
            ByteToMessageHandler(WebSocketFrameDecoder(maxFrameSize: 1 << 20)),
            WebSocketSessionHandler(
                configuration: SessionConfiguration(role: role, maxMessageSize: 1 << 20),
                compression: compression
            )
        )
        try self.channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
    }

    private func receive(_ bytes: [UInt8]) throws {
        try self.channel.writeInbound(ByteBuffer(bytes: bytes))
    }

    private func texts() throws -> [String] {
        var texts: [String] = []
        while let burst = try self.channel.readInbound(as: [SessionEvent].self) {
            for case .text(let payload) in burst {
                texts.append(String(buffer: payload))
            }
        }
        return texts
    }

    /// The frames written so far: (first byte, masked, payload with any mask removed).
    private func sentFrames() throws -> [(first: UInt8, masked: Bool, payload: [UInt8])] {
        var bytes: [UInt8] = []
        while let buffer = try self.channel.readOutbound(as: ByteBuffer.self) {
            bytes += buffer.readableBytesView
        }
        var frames: [(UInt8, Bool, [UInt8])] = []
        var index = 0
        while index < bytes.count {
            let first = bytes[index]
            let masked = bytes[index + 1] & 0x80 != 0
            var length = Int(bytes[index + 1] & 0x7F)
            index += 2
            if length == 126 {
                length = Int(bytes[index]) << 8 | Int(bytes[index + 1])
                index += 2
            }
            let mask = masked ? Array(bytes[index..<index + 4]) : [0, 0, 0, 0]
            index += masked ? 4 : 0
            frames.append((first, masked, (0..<length).map { bytes[index + $0] ^ mask[$0 % 4] }))
            index += length
        }
        return frames
    }

    private func send(_ commands: [SessionCommand]) throws {
        try self.channel.writeOutbound(OutboundBatch(commands: commands))
    }

    func testServerReadsMaskedFramesAndSendsUnmaskedOnes() throws {
        try self.start(.server, compressed: false)
        // RFC 6455 section 5.7: a masked "Hello" from a client.
        try self.receive([0x81, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58])
        XCTAssertEqual(try self.texts(), ["Hello"])
        try self.send([.text(ByteBuffer(string: "Hello"))])
        let frames = try self.sentFrames()
        XCTAssertEqual(frames.map(\.first), [0x81])
        XCTAssertEqual(frames.map(\.masked), [false], "a server never masks")
        XCTAssertEqual(frames.first?.payload, Array("Hello".utf8))
    }

    /// A batch with a large message between small ones: the large payload goes out as its own buffer, and
    /// the bytes on the wire are the three frames in order.
    func testAServersLargePayloadGoesOutUncopiedBetweenTheFramesAroundIt() throws {
        try self.start(.server, compressed: false)
        let large = ByteBuffer(repeating: 0x61, count: 40_000)
        try self.send([.text(ByteBuffer(string: "a")), .binary(large), .text(ByteBuffer(string: "b"))])
        var buffers: [ByteBuffer] = []
        while let buffer = try self.channel.readOutbound(as: ByteBuffer.self) {
            buffers.append(buffer)
        }
        XCTAssertEqual(buffers.map(\.readableBytes), [3 + 4, 40_000, 3], "header with what came before, payload, rest")
        XCTAssertEqual(buffers[1], large)
        let wire = buffers.flatMap { Array($0.readableBytesView) }
        XCTAssertEqual(Array(wire[..<7]), [0x81, 1, 0x61, 0x82, 126, 0x9C, 0x40])
        XCTAssertEqual(Array(wire[(7 + 40_000)...]), [0x81, 1, 0x62])
    }

    /// A large payload first in a batch: its header goes out alone, then the payload (the batch's promise
    /// rides on what follows it, here nothing).
    func testAServersLargePayloadFirstInABatchGoesOutAfterItsHeaderAlone() throws {
        try self.start(.server, compressed: false)
        let large = ByteBuffer(repeating: 0x61, count: 20_000)
        try self.send([.binary(large)])
        var buffers: [ByteBuffer] = []
        while let buffer = try self.channel.readOutbound(as: ByteBuffer.self) {
            buffers.append(buffer)
        }
        XCTAssertEqual(buffers.map(\.readableBytes), [4, 20_000, 0])
        XCTAssertEqual(Array(buffers[0].readableBytesView), [0x82, 126, 0x4E, 0x20])
    }

    func testServerAnswersAnUnmaskedClientFrameWith1002() throws {
        try self.start(.server, compressed: false)
        try self.receive([0x81, 0x05, 0x48, 0x65, 0x6C, 0x6C, 0x6F])
        // The front end, done with the events before the violation, closes the channel: the Close goes then.
        self.channel.close(promise: nil)
        let close = try XCTUnwrap(try self.sentFrames().first)
        XCTAssertEqual([close.first] + close.payload, [0x88, 0x03, 0xEA])
        XCTAssertFalse(close.masked)
        XCTAssertFalse(self.channel.isActive)
    }

    func testClientInflatesCompressedFramesAndCompressesWhatItSends() throws {
        try self.start(.client, compressed: true)
        // RFC 7692 section 7.2.3.1: "Hello" compressed, then the same in two fragments (7.2.3.2 style).
        try self.receive([0xC1, 0x07, 0xF2, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00])
        try self.receive([0x41, 0x03, 0xF2, 0x48, 0xCD, 0x80, 0x04, 0xC9, 0xC9, 0x07, 0x00])
        XCTAssertEqual(try self.texts(), ["Hello", "Hello"])

        let long = String(repeating: "compress me ", count: 20)
        try self.send([.text(ByteBuffer(string: long)), .text(ByteBuffer(string: "tiny"))])
        let frames = try self.sentFrames()
        XCTAssertEqual(frames.map(\.first), [0xC1, 0x81], "RSV1 on the compressed message only")
        XCTAssertEqual(frames.map(\.masked), [true, true])
        let inflater = try PerMessageDeflateDecompressor(parameters: PerMessageDeflateParameters(), role: .server)
        let inflated = try inflater.decompress(ByteBuffer(bytes: frames[0].payload), limit: 1 << 20)
        XCTAssertEqual(String(buffer: inflated), long)
        XCTAssertEqual(frames[1].payload, Array("tiny".utf8))
    }

    func testServerCompressesUnmasked() throws {
        try self.start(.server, compressed: true)
        let long = String(repeating: "compress me ", count: 20)
        try self.send([.binary(ByteBuffer(string: long))])
        let frame = try XCTUnwrap(try self.sentFrames().first)
        XCTAssertEqual(frame.first, 0xC2)
        XCTAssertFalse(frame.masked)
        let inflater = try PerMessageDeflateDecompressor(parameters: PerMessageDeflateParameters(), role: .client)
        XCTAssertEqual(String(buffer: try inflater.decompress(ByteBuffer(bytes: frame.payload), limit: 1 << 20)), long)
    }

    func testRSV1OnAControlFrameClosesWith1002() throws {
        try self.start(.client, compressed: true)
        try self.receive([0xC9, 0x00])
        self.channel.close(promise: nil)
        let close = try XCTUnwrap(try self.sentFrames().first)
        XCTAssertEqual([close.first] + close.payload, [0x88, 0x03, 0xEA])
    }
}
