import NIOCore
import NIOEmbedded
import NIOWebSocket
import XCTest

@testable import WSEngine

/// NIO's frame decoder behind ``FrameDecoder``'s length check, fed whole and split wire bytes.
final class FrameDecoderTests: XCTestCase {
    private func channel(maxFrameSize: Int = 1 << 20) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(
            ByteToMessageHandler(FrameDecoder(maxFrameSize: maxFrameSize, role: .client))
        )
        return channel
    }

    private func frames(_ channel: EmbeddedChannel) throws -> [WebSocketFrame] {
        var frames: [WebSocketFrame] = []
        while let frame = try channel.readInbound(as: WebSocketFrame.self) {
            frames.append(frame)
        }
        return frames
    }

    func testALengthWithTheTopBitSetIsAProtocolError() throws {
        let channel = try self.channel()
        XCTAssertThrowsError(try channel.writeInbound(ByteBuffer(bytes: [0x82, 0x7F, 0x80, 0, 0, 0, 0, 0, 0, 0]))) {
            let violation = $0 as? ProtocolViolation
            XCTAssertEqual(violation?.closeCode, .protocolError, "\($0)")
            XCTAssertEqual(
                violation?.description,
                "server sent a frame whose 64-bit length has the most significant bit set"
            )
        }
    }

    func testATooLargeLengthWithoutTheTopBitIsStillNIOsSizeError() throws {
        let channel = try self.channel(maxFrameSize: 100)
        XCTAssertThrowsError(try channel.writeInbound(ByteBuffer(bytes: [0x82, 0x7F, 0x7F, 0, 0, 0, 0, 0, 0, 0]))) {
            XCTAssertEqual($0 as? NIOWebSocketError, .invalidFrameLength)
        }
    }

    func testTheCheckHoldsForEveryFrameAtEverySplitPoint() throws {
        // A 200-byte binary frame (16-bit length), a 1-byte text frame, then the forbidden 64-bit length.
        let first: [UInt8] = [0x82, 0x7E, 0x00, 0xC8] + [UInt8](repeating: 0x61, count: 200)
        let second: [UInt8] = [0x81, 0x01, 0x62]
        let bad: [UInt8] = [0x82, 0x7F, 0xFF, 0, 0, 0, 0, 0, 0, 1]
        let bytes = first + second + bad
        for split in 1..<bytes.count {
            let channel = try self.channel()
            var error: (any Error)?
            for part in [bytes[..<split], bytes[split...]] {
                do {
                    try channel.writeInbound(ByteBuffer(bytes: part))
                } catch let thrown {
                    error = thrown
                }
            }
            XCTAssertEqual(try self.frames(channel).map(\.data.readableBytes), [200, 1], "split at \(split)")
            XCTAssertEqual((error as? ProtocolViolation)?.closeCode, .protocolError, "split at \(split)")
        }
    }
}
