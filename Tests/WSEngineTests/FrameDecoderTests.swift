import NIOCore
import NIOEmbedded
import NIOWebSocket
import XCTest

@testable import WSEngine

/// NIO's frame decoder behind ``FrameDecoder``'s length check, fed whole and split wire bytes.
final class FrameDecoderTests: XCTestCase {
    private func channel(maxFrameSize: Int = 1 << 20, role: SessionRole = .client) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(
            ByteToMessageHandler(FrameDecoder(maxFrameSize: maxFrameSize, role: role))
        )
        return channel
    }

    /// A frame header for `length` payload bytes, masked with `key` when given.
    private func header(_ first: UInt8, length: Int, key: [UInt8]? = nil) -> [UInt8] {
        let mask: UInt8 = key == nil ? 0 : 0x80
        return [first, mask | UInt8(length)] + (key ?? [])
    }

    private func masked(_ bytes: [UInt8], key: [UInt8], from offset: Int = 0) -> [UInt8] {
        bytes.enumerated().map { $0.element ^ key[($0.offset + offset) & 3] }
    }

    private func assertInvalidText(_ error: any Error, file: StaticString = #filePath, line: UInt = #line) {
        let violation = error as? ProtocolViolation
        XCTAssertEqual(violation?.closeCode, .invalidPayloadData, "\(error)", file: file, line: line)
        XCTAssertEqual(violation?.description, "text message is not valid UTF-8", file: file, line: line)
    }

    /// A text frame in three chops whose second holds a byte that is never UTF-8: refused at the second, long
    /// before the frame is complete; for a server's unmasked frames and a client's masked ones.
    func testTextThatIsNotUTF8IsRefusedAsItsBytesArrive() throws {
        for key: [UInt8]? in [nil, [0x37, 0xFA, 0x21, 0x3D]] {
            let channel = try self.channel(role: key == nil ? .client : .server)
            let payload = Array("héllo ".utf8) + [0xFF] + Array(repeating: UInt8(ascii: "x"), count: 50)
            let wire =
                self.header(0x81, length: payload.count, key: key)
                + (key.map { self.masked(payload, key: $0) } ?? payload)
            let headerSize = key == nil ? 2 : 6
            XCTAssertNoThrow(try channel.writeInbound(ByteBuffer(bytes: wire[..<(headerSize + 3)])))
            XCTAssertThrowsError(
                try channel.writeInbound(ByteBuffer(bytes: wire[(headerSize + 3)..<(headerSize + 10)]))
            ) {
                self.assertInvalidText($0)
            }
        }
    }

    /// What is valid so far is never refused: a character split across reads, a continuation frame that
    /// starts with the rest of a character begun in the frame before, compressed data, binary data.
    func testValidTextSplitAnywhereAndNonTextArePassedOn() throws {
        let euro = Array("€".utf8)
        let first = self.header(0x01, length: 2) + euro[..<2]
        let continuation = self.header(0x80, length: 3) + euro[2...] + Array("ab".utf8)
        let compressed = self.header(0xC1, length: 4) + [0xFF, 0xFE, 0x00, 0x00]
        let binary = self.header(0x82, length: 2) + [0xFF, 0xFF]
        let wire = first + continuation + compressed + binary
        for split in 1..<wire.count {
            let channel = try self.channel()
            XCTAssertNoThrow(try channel.writeInbound(ByteBuffer(bytes: wire[..<split])), "split at \(split)")
            XCTAssertNoThrow(try channel.writeInbound(ByteBuffer(bytes: wire[split...])), "split at \(split)")
            XCTAssertEqual(try self.frames(channel).count, 4, "split at \(split)")
        }
    }

    /// A client's masked text frame of 10,000 bytes, read in chops of several sizes: the early check unmasks
    /// it a piece at a time, and valid text passes whatever the chops, while a bad byte far into the frame is
    /// refused with the chop that brings it, before the frame is complete.
    func testAMaskedTextFrameIsCheckedInPiecesWhateverTheReads() throws {
        let key: [UInt8] = [0x37, 0xFA, 0x21, 0x3D]
        let text = Array((String(repeating: "aé€x", count: 1428) + "abcd").utf8)
        for badAt in [nil, 9_001] {
            var payload = Array(text)
            if let badAt { payload[badAt] = 0xFF }
            let wire =
                [0x81, 0xFE, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)] + key
                + self.masked(payload, key: key)
            // Chops of 1 go a byte at a time through the header and the first few bytes, then 1,001 at a time.
            for chop in [1, 3, 999, 4_097, 6_001] {
                let channel = try self.channel(maxFrameSize: 1 << 16, role: .server)
                var offset = 0
                var refusedAt: Int?
                while offset < wire.count, refusedAt == nil {
                    let end = min(offset + (chop == 1 && offset > 20 ? 1_001 : chop), wire.count)
                    do {
                        try channel.writeInbound(ByteBuffer(bytes: wire[offset..<end]))
                    } catch {
                        self.assertInvalidText(error)
                        refusedAt = end
                    }
                    offset = end
                }
                let badByte = badAt.map { 8 + $0 }
                if let badByte, let refusedAt {
                    XCTAssertGreaterThan(refusedAt, badByte, "chops of \(chop)")
                    XCTAssertLessThan(refusedAt, wire.count, "refused before the frame is complete; chops of \(chop)")
                } else {
                    // Valid text, or a bad byte that came with the frame's last bytes: a complete frame is the
                    // session's to check.
                    XCTAssertNil(refusedAt, "chops of \(chop)")
                    XCTAssertTrue(badByte == nil || chop > 3_000, "a bad byte long before the end is refused early")
                    let frames = try self.frames(channel)
                    XCTAssertEqual(
                        frames.map { Array($0.unmaskedData.readableBytesView) },
                        [payload],
                        "chops of \(chop)"
                    )
                }
            }
        }
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
