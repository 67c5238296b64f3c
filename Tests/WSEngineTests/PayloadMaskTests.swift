import NIOCore
import NIOWebSocket
import XCTest

@testable import WSEngine

final class PayloadMaskTests: XCTestCase {
    func testTheMaskedHelloOfRFC6455IsUnmasked() {
        // RFC 6455 section 5.7: 0x81 0x85 0x37 0xfa 0x21 0x3d 0x7f 0x9f 0x4d 0x51 0x58 carries "Hello".
        let frame = WebSocketFrame(
            fin: true,
            opcode: .text,
            maskKey: [0x37, 0xfa, 0x21, 0x3d],
            data: ByteBuffer(bytes: [0x7f, 0x9f, 0x4d, 0x51, 0x58])
        )
        XCTAssertEqual(String(buffer: PayloadMask.unmaskedPayload(of: frame)), "Hello")
    }

    func testAnUnmaskedFrameKeepsItsBytes() {
        let frame = WebSocketFrame(fin: true, opcode: .binary, data: ByteBuffer(bytes: [1, 2, 3]))
        XCTAssertEqual(PayloadMask.unmaskedPayload(of: frame), ByteBuffer(bytes: [1, 2, 3]))
    }

    /// Every length from 0 to 100 goes through each of the word loops and the byte loop, from slices that
    /// start anywhere in their buffer: the bytes come out as NIO's byte-at-a-time unmasking makes them.
    func testEveryLengthAndStartUnmasksAsNIODoes() {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<160).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for length in 0...100 {
            for start in [0, 1, 3, 7, 13] {
                var buffer = ByteBuffer(bytes: bytes)
                buffer.moveReaderIndex(forwardBy: start)
                let data = buffer.getSlice(at: buffer.readerIndex, length: length)!
                let key = WebSocketMaskingKey.random(using: &generator)
                let frame = WebSocketFrame(fin: true, opcode: .binary, maskKey: key, data: data)
                XCTAssertEqual(
                    PayloadMask.unmaskedPayload(of: frame),
                    frame.unmaskedData,
                    "length \(length), start \(start)"
                )
            }
        }
    }

    func testMaskingTwiceGivesTheBytesBack() {
        let source: [UInt8] = Array(0..<77)
        var masked = [UInt8](repeating: 0, count: source.count)
        var unmasked = masked
        source.withUnsafeBytes { from in
            masked.withUnsafeMutableBytes { PayloadMask.apply(from, into: $0, keyWord: 0xdead_beef) }
        }
        XCTAssertNotEqual(masked, source)
        masked.withUnsafeBytes { from in
            unmasked.withUnsafeMutableBytes { PayloadMask.apply(from, into: $0, keyWord: 0xdead_beef) }
        }
        XCTAssertEqual(unmasked, source)
    }
}
