import NIOCore
import XCTest

@testable import WSDeflate

/// The decompression limit holds exactly, and bounds memory however explosive the input.
final class DecompressionLimitTests: XCTestCase {
    func testLimitIsInclusive() throws {
        let payload = TestData.hex("f2 48 cd c9 c9 07 00")
        let decompressor = try PerMessageDeflateDecompressor(parameters: PerMessageDeflateParameters(), role: .client)
        XCTAssertEqual(try decompressor.decompress(payload, limit: 5), TestData.text("Hello"))
        XCTAssertThrowsError(try decompressor.decompress(payload, limit: 4)) { error in
            XCTAssertEqual(error as? PerMessageDeflateError, .limitExceeded)
        }
        XCTAssertThrowsError(try decompressor.decompress(payload, limit: 0)) { error in
            XCTAssertEqual(error as? PerMessageDeflateError, .limitExceeded)
        }
    }

    /// A message of 1 GiB of zeros; deflate cannot do better than about 1032:1, so it is about 1 MiB.
    ///
    /// Built cheaply: the second 1 MiB of zeros compresses to data that only refers back into a window of zeros,
    /// so it can be repeated to lengthen the stream without running deflate over 1 GiB.
    private func makeBomb() throws -> ByteBuffer {
        let compressor = try PerMessageDeflateCompressor(parameters: PerMessageDeflateParameters(), role: .server)
        let zeros = ByteBuffer(repeating: 0, count: 1 << 20)
        var bomb = try compressor.compress(zeros)
        let repeatable = try compressor.compress(zeros)
        for _ in 1..<1024 {
            bomb.writeBytes([0x00, 0x00, 0xFF, 0xFF])
            bomb.writeImmutableBuffer(repeatable)
        }
        return bomb
    }

    func testBombStopsAtTheLimitWithMemoryBoundedByIt() throws {
        let bomb = try self.makeBomb()
        XCTAssertLessThan(bomb.readableBytes, 1_100_000)
        // Counting without keeping the output proves the bomb really is 1 GiB.
        XCTAssertEqual(try StrictInflater(windowBits: 15).inflate(bomb, keep: false).count, 1 << 30)

        let limit = 1 << 20
        let decompressor = try PerMessageDeflateDecompressor(parameters: PerMessageDeflateParameters(), role: .client)
        XCTAssertThrowsError(try decompressor.decompress(bomb, limit: limit)) { error in
            XCTAssertEqual(error as? PerMessageDeflateError, .limitExceeded)
        }
        XCTAssertLessThanOrEqual(decompressor.lastPeakOutputCapacity, limit)

        // The failed message's context is dropped, and the decompressor still reads fresh messages.
        let hello = TestData.hex("f2 48 cd c9 c9 07 00")
        XCTAssertEqual(try decompressor.decompress(hello, limit: limit), TestData.text("Hello"))
    }

    func testLimitThatIsNotAPowerOfTwoBoundsTheBufferToTheNextOne() throws {
        let compressor = try PerMessageDeflateCompressor(parameters: PerMessageDeflateParameters(), role: .server)
        let payload = try compressor.compress(ByteBuffer(repeating: 7, count: 300_000))
        let decompressor = try PerMessageDeflateDecompressor(parameters: PerMessageDeflateParameters(), role: .client)
        XCTAssertThrowsError(try decompressor.decompress(payload, limit: 100_000))
        XCTAssertLessThanOrEqual(decompressor.lastPeakOutputCapacity, 131_072)
        // The failure dropped the window, so the next message must not refer back into it.
        let fresh = try PerMessageDeflateCompressor(parameters: PerMessageDeflateParameters(), role: .server)
        let fits = try fresh.compress(ByteBuffer(repeating: 7, count: 100_000))
        XCTAssertEqual(try decompressor.decompress(fits, limit: 100_000).readableBytes, 100_000)
    }
}
