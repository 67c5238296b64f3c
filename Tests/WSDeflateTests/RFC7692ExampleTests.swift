import NIOCore
import WSDeflate
import XCTest

/// The examples of RFC 7692 section 7.2.3, byte for byte.
final class RFC7692ExampleTests: XCTestCase {
    private let hello = TestData.text("Hello")
    private let limit = 1 << 20

    private func makePair(
        _ parameters: PerMessageDeflateParameters = PerMessageDeflateParameters()
    ) throws -> (PerMessageDeflateCompressor, PerMessageDeflateDecompressor) {
        (
            try PerMessageDeflateCompressor(parameters: parameters, role: .server),
            try PerMessageDeflateDecompressor(parameters: parameters, role: .client)
        )
    }

    /// Section 7.2.3.1: "Hello" in one compressed message.
    func testHelloCompressesToTheRFCBytes() throws {
        let (compressor, decompressor) = try self.makePair()
        let payload = try compressor.compress(self.hello)
        XCTAssertEqual(TestData.hex(payload), "f2 48 cd c9 c9 07 00")
        XCTAssertEqual(try decompressor.decompress(payload, limit: self.limit), self.hello)
    }

    /// Section 7.2.3.1: the same message split over two frames, joined before decompression.
    func testFragmentedHelloDecompressesOnceJoined() throws {
        let (_, decompressor) = try self.makePair()
        var joined = TestData.hex("f2 48 cd")
        joined.writeImmutableBuffer(TestData.hex("c9 c9 07 00"))
        XCTAssertEqual(try decompressor.decompress(joined, limit: self.limit), self.hello)
    }

    /// Section 7.2.3.2: with context takeover the second "Hello" refers back to the first.
    func testSecondHelloSharesTheWindow() throws {
        let (compressor, decompressor) = try self.makePair()
        let first = try compressor.compress(self.hello)
        let second = try compressor.compress(self.hello)
        XCTAssertEqual(TestData.hex(first), "f2 48 cd c9 c9 07 00")
        XCTAssertEqual(TestData.hex(second), "f2 00 11 00 00")
        XCTAssertEqual(try decompressor.decompress(first, limit: self.limit), self.hello)
        XCTAssertEqual(try decompressor.decompress(second, limit: self.limit), self.hello)
    }

    /// Section 7.2.3.2, other half: without context takeover every "Hello" is compressed alone.
    func testNoContextTakeoverRepeatsTheFirstForm() throws {
        let (compressor, _) = try self.makePair(PerMessageDeflateParameters(serverNoContextTakeover: true))
        XCTAssertEqual(TestData.hex(try compressor.compress(self.hello)), "f2 48 cd c9 c9 07 00")
        XCTAssertEqual(TestData.hex(try compressor.compress(self.hello)), "f2 48 cd c9 c9 07 00")
    }

    /// Section 7.2.3.3: a stored (uncompressed) block.
    func testStoredBlockDecompresses() throws {
        let (_, decompressor) = try self.makePair()
        let payload = TestData.hex("00 05 00 fa ff 48 65 6c 6c 6f 00")
        XCTAssertEqual(try decompressor.decompress(payload, limit: self.limit), self.hello)
    }

    /// Section 7.2.3.4: two blocks in one message.
    func testTwoBlocksInOneMessageDecompress() throws {
        let (_, decompressor) = try self.makePair()
        let payload = TestData.hex("f2 48 05 00 00 00 ff ff ca c9 c9 07 00")
        XCTAssertEqual(try decompressor.decompress(payload, limit: self.limit), self.hello)
    }

    /// Section 7.2.3.5: a block with BFINAL set, then an empty stored block.
    func testFinalBlockDecompressesAndKeepsTheWindow() throws {
        let (_, decompressor) = try self.makePair()
        let payload = TestData.hex("f3 48 cd c9 c9 07 00 00")
        XCTAssertEqual(try decompressor.decompress(payload, limit: self.limit), self.hello)
        // With context takeover the peer may still refer back to "Hello" after ending its stream.
        XCTAssertEqual(try decompressor.decompress(TestData.hex("f2 00 11 00 00"), limit: self.limit), self.hello)
    }

    /// Section 7.2.3.6: an empty message is the single byte 00, before and after other messages.
    func testEmptyMessageIsOneZeroByte() throws {
        let (compressor, decompressor) = try self.makePair()
        let empty = ByteBuffer()
        XCTAssertEqual(TestData.hex(try compressor.compress(empty)), "00")
        let hello = try compressor.compress(self.hello)
        XCTAssertEqual(TestData.hex(try compressor.compress(empty)), "00")
        XCTAssertEqual(TestData.hex(try compressor.compress(self.hello)), "f2 00 11 00 00")

        XCTAssertEqual(try decompressor.decompress(TestData.hex("00"), limit: 0), empty)
        XCTAssertEqual(try decompressor.decompress(hello, limit: self.limit), self.hello)
        XCTAssertEqual(try decompressor.decompress(TestData.hex("00"), limit: 0), empty)
        XCTAssertEqual(try decompressor.decompress(TestData.hex("f2 00 11 00 00"), limit: 5), self.hello)
        // An empty fixed block (the other form section 7.2.3.6 mentions) and an empty payload are empty too.
        XCTAssertEqual(try decompressor.decompress(TestData.hex("02 00"), limit: 0), empty)
        XCTAssertEqual(try decompressor.decompress(empty, limit: 0), empty)
    }
}
