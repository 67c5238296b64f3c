import NIOCore
import XCTest

@testable import WSEngine

final class FrameEncoderTests: XCTestCase {
    /// Decodes one client frame: (first byte, payload length field bytes, unmasked payload).
    private func decode(_ buffer: ByteBuffer) -> (UInt8, Int, [UInt8]) {
        let bytes = Array(buffer.readableBytesView)
        XCTAssertEqual(bytes[1] & 0x80, 0x80, "masked")
        var length = Int(bytes[1] & 0x7F)
        var index = 2
        if length == 126 {
            length = Int(bytes[2]) << 8 | Int(bytes[3])
            index = 4
        } else if length == 127 {
            length = bytes[2..<10].reduce(0) { $0 << 8 | Int($1) }
            index = 10
        }
        let key = Array(bytes[index..<index + 4])
        let payload = bytes[(index + 4)...].enumerated().map { $0.element ^ key[$0.offset % 4] }
        XCTAssertEqual(payload.count, length)
        return (bytes[0], index, payload)
    }

    func testLengthFormsAtTheirBoundaries() {
        var encoder = FrameEncoder()
        for (size, headerEnd) in [(0, 2), (125, 2), (126, 4), (65535, 4), (65536, 10)] {
            let payload = ByteBuffer(bytes: (0..<size).map { UInt8(truncatingIfNeeded: $0 * 7) })
            var output = ByteBuffer()
            encoder.encode(.binary, payload: payload, into: &output)
            let (first, lengthEnd, unmasked) = self.decode(output)
            XCTAssertEqual(first, 0x82)
            XCTAssertEqual(lengthEnd, headerEnd, "size \(size)")
            XCTAssertEqual(unmasked, Array(payload.readableBytesView), "size \(size)")
        }
    }

    func testAServersFramesAreUnmaskedWithTheLengthInNetworkOrder() {
        var encoder = FrameEncoder(masking: false)
        let headers: [(Int, [UInt8])] = [
            (0, [0x81, 0]), (125, [0x81, 125]), (126, [0x81, 126, 0, 126]), (65535, [0x81, 126, 0xFF, 0xFF]),
            (65536, [0x81, 127, 0, 0, 0, 0, 0, 1, 0, 0]),
        ]
        for (size, header) in headers {
            let payload = ByteBuffer(bytes: (0..<size).map { UInt8(truncatingIfNeeded: $0 * 7) })
            var output = ByteBuffer(bytes: [0xEE])
            encoder.encode(.text, payload: payload, into: &output)
            XCTAssertEqual(
                Array(output.readableBytesView),
                [0xEE] + header + Array(payload.readableBytesView),
                "\(size)"
            )
        }
    }

    /// A server's payload of 16 KiB or more is left out of the batch: the header is appended and the payload
    /// comes back as it was; anything smaller, and anything a client sends, is copied in.
    func testALargeUnmaskedPayloadIsNotCopied() {
        var server = FrameEncoder(masking: false)
        let large = ByteBuffer(bytes: (0..<FrameEncoder.separatePayloadSize).map { UInt8(truncatingIfNeeded: $0) })
        var output = ByteBuffer(bytes: [0xEE])
        let separate = server.encodeData(.binary, payload: large, fin: false, into: &output)
        XCTAssertEqual(Array(output.readableBytesView), [0xEE, 0x02, 126, 0x40, 0x00])
        XCTAssertEqual(separate, large)
        XCTAssertEqual(
            separate?.withUnsafeReadableBytes { $0.baseAddress },
            large.withUnsafeReadableBytes { $0.baseAddress },
            "the same storage, not a copy"
        )

        let small = large.getSlice(at: 0, length: FrameEncoder.separatePayloadSize - 1)!
        output.clear()
        XCTAssertNil(server.encodeData(.text, payload: small, into: &output))
        XCTAssertEqual(Array(output.readableBytesView), [0x81, 126, 0x3F, 0xFF] + Array(small.readableBytesView))

        var client = FrameEncoder()
        output.clear()
        XCTAssertNil(client.encodeData(.binary, payload: large, into: &output))
        XCTAssertEqual(self.decode(output).2, Array(large.readableBytesView))
    }

    func testBatchIsContiguousAndFlagsAreSet() {
        var encoder = FrameEncoder()
        var output = ByteBuffer()
        encoder.encode(.text, payload: ByteBuffer(string: "Hello"), into: &output)
        encoder.encode(.text, payload: ByteBuffer(string: "abc"), rsv1: true, into: &output)
        XCTAssertEqual(output.readableBytes, (2 + 4 + 5) + (2 + 4 + 3))
        let first = output.getSlice(at: 0, length: 11)!
        let second = output.getSlice(at: 11, length: 9)!
        XCTAssertEqual(self.decode(first).2, Array("Hello".utf8))
        XCTAssertEqual(self.decode(second).0, 0xC1, "FIN + RSV1 + text")
        XCTAssertEqual(self.decode(second).2, Array("abc".utf8))
    }

    func testPayloadSliceOfASharedBufferIsLeftIntact() {
        var encoder = FrameEncoder()
        let chunk = ByteBuffer(string: "line one\nline two\n")
        let slice = chunk.getSlice(at: 9, length: 8)!
        var output = ByteBuffer()
        encoder.encode(.text, payload: slice, into: &output)
        XCTAssertEqual(String(buffer: chunk), "line one\nline two\n", "masking must not write into the input")
        XCTAssertEqual(self.decode(output).2, Array("line two".utf8))
    }
}
